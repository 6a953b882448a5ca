//! What each worker thread is scanning, so that a panic report names the file (never the
//! last one finished), and the debug-only hook that injects a panic for the crash tests.

thread_local! {
    /// The file this worker is reading or parsing, for the panic report.
    static CURRENT_FILE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The file being scanned on this thread when a panic happens, if any.
pub fn current_file() -> Option<String> {
    CURRENT_FILE.with(|f| f.borrow().clone())
}

/// Marks what this thread is scanning until dropped (then what it scanned before, or
/// nothing): a panic report names the file being scanned, never the last one finished.
#[must_use]
pub(crate) struct Scanning(Option<String>);

impl Scanning {
    pub(crate) fn file(what: &str) -> Scanning {
        let scanning = Scanning(CURRENT_FILE.with(|f| f.replace(Some(what.to_string()))));
        inject_panic("scanning", what);
        scanning
    }
}

impl Drop for Scanning {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT_FILE.with(|f| *f.borrow_mut() = previous);
    }
}

/// Debug builds only: `RAMPART_INJECT_PANIC=scanning:NAME` panics when a file whose name
/// contains NAME starts being scanned, so tests prove that a crash is caught and reported
/// (and that the tests would notice one). Release builds never read it.
pub fn inject_panic(stage: &str, what: &str) {
    if cfg!(debug_assertions)
        && let Ok(wanted) = std::env::var("RAMPART_INJECT_PANIC")
        && let Some((wanted_stage, name)) = wanted.split_once(':')
        && wanted_stage == stage
        && what.contains(name)
    {
        panic!("panic injected by RAMPART_INJECT_PANIC ({wanted})");
    }
}
