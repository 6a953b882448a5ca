//! The policy and configuration loaders: strict, located errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let settings = rampart::config::default_settings();
    let _ = rampart::policy::loader::parse_policy("fuzz.toml", text, &settings);
    let _ = rampart::config::parse("rampart.toml", text);
});
