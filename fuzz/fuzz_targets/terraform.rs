//! HCL parsing, module lowering, linking and every policy over arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(parsed) = rampart::parse::terraform::parse_file(0, "fuzz.tf", text) {
        let mut project = rampart::parse::terraform::lower_module("fuzz".into(), &[parsed]);
        rampart::graph::link(&mut project);
        support::evaluate(&[project], text);
    }
});

mod support {
    include!("support.rs");
}
