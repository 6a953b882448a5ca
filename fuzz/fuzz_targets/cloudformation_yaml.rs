//! CloudFormation YAML: parse, recognise, lower (intrinsics, conditions), link, evaluate.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(Some(template)) = rampart::parse::cloudformation::parse_file(0, "fuzz.yaml", text, false)
        && let Ok(lowered) = rampart::parse::cloudformation::lower("fuzz".into(), "fuzz.yaml", &template, &rampart::parse::budget::Budget::default())
    {
        let mut project = lowered.project;
        rampart::graph::link(&mut project);
        support::evaluate(&[project], text);
    }
    let _ = rampart::parse::document::parse_yaml(text);
});

mod support {
    include!("support.rs");
}
