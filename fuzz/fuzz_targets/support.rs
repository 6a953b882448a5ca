/// Runs every embedded policy over the projects, as a scan would (policies loaded once).
pub fn evaluate(projects: &[rampart::ir::Project], text: &str) {
    static POLICIES: std::sync::OnceLock<rampart::policy::PolicySet> = std::sync::OnceLock::new();
    let policies = POLICIES.get_or_init(|| {
        let config = rampart::config::Config::default();
        rampart::app::load_policies(&config, &[], &[], &[]).expect("embedded policies")
    });
    let mut sources = rampart::ir::SourceMap::default();
    sources.add(rampart::ir::SourceFile::new(
        "fuzz".into(),
        "fuzz".into(),
        std::sync::Arc::from(text),
    ));
    for finding in policies.evaluate(projects, &sources) {
        let _ = sources.start(finding.span);
        let _ = sources.end(finding.span);
    }
}
