//! JSON front ends: CloudFormation JSON, Terraform plans, Pulumi exports and previews.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(Some(template)) = rampart::parse::cloudformation::parse_file(0, "fuzz.json", text, true)
        && let Ok(lowered) = rampart::parse::cloudformation::lower("fuzz".into(), "fuzz.json", &template, &rampart::parse::budget::Budget::default())
    {
        let mut project = lowered.project;
        rampart::graph::link(&mut project);
        support::evaluate(&[project], text);
    }
    if let Ok(Some(root)) = rampart::parse::tfplan::parse_file(0, "plan.json", text) {
        let mut project = rampart::parse::tfplan::lower("plan".into(), 0, &root);
        rampart::graph::link(&mut project);
        support::evaluate(&[project], text);
    }
    if let Ok(Some(document)) = rampart::parse::pulumi::parse_json(0, "stack.json", text) {
        let mut project = rampart::parse::pulumi::lower("stack".into(), 0, &document);
        rampart::graph::link(&mut project);
        support::evaluate(&[project], text);
    }
});

mod support {
    include!("support.rs");
}
