//! An error inside a file rampart reads for itself (a policy, `rampart.toml`), rendered by
//! miette with a label at the offending text.

use miette::{Diagnostic, NamedSource, SourceSpan};

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}: {message}")]
pub struct LocatedError {
    pub path: String,
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("{message}")]
    pub span: Option<SourceSpan>,
}

impl LocatedError {
    pub fn new(
        path: &str,
        text: &str,
        message: impl Into<String>,
        span: Option<std::ops::Range<usize>>,
    ) -> Box<LocatedError> {
        Box::new(LocatedError {
            path: path.to_string(),
            message: message.into(),
            source_code: NamedSource::new(path, text.to_string()),
            span: span.map(|r| SourceSpan::from(r.start..r.end)),
        })
    }

    /// The text the label points at (for tests).
    pub fn labelled_text(&self) -> Option<String> {
        let span = self.span?;
        let text = self.source_code.inner();
        text.get(span.offset()..span.offset() + span.len())
            .map(str::to_string)
    }
}
