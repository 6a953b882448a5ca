//! Reporters: one file per output format. Reporters never evaluate; they render the
//! findings and file errors of one scan.

pub mod catalog;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::ir::SourceMap;
use crate::parse::{FileError, Notice};
use crate::policy::{Finding, Policy, PolicySet};
use crate::suppress::Suppression;

/// Everything a reporter needs.
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    pub policies: &'a PolicySet,
    pub findings: &'a [Finding],
    pub errors: &'a [FileError],
    /// Things worth knowing that are neither findings nor errors (modules not analysed).
    pub notices: &'a [Notice],
    pub files_scanned: usize,
    /// Per finding (same order), why it is suppressed; empty when nothing is.
    pub suppressions: &'a [Option<Suppression>],
}

impl Report<'_> {
    pub fn suppression(&self, index: usize) -> Option<&Suppression> {
        self.suppressions.get(index).and_then(Option::as_ref)
    }

    /// The findings that are reported (not suppressed).
    pub fn visible(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .enumerate()
            .filter(|(i, _)| self.suppression(*i).is_none())
            .map(|(_, f)| f)
    }

    pub fn policy(&self, finding: &Finding) -> &Policy {
        &self.policies.policies[finding.policy]
    }

    /// A fingerprint that survives unrelated edits: policy, file, resource and the text of
    /// the flagged line, never its number.
    pub fn fingerprint(&self, finding: &Finding) -> String {
        let file = self.sources.get(finding.span.file);
        let line = file.position(finding.span.start as usize).line;
        let text = file.line_text(line).trim();
        let key = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            self.policy(finding).id,
            file.display,
            finding.address,
            text
        );
        format!("{:016x}", fnv1a(key.as_bytes()))
    }

    /// `3 findings (1 critical, 2 high) in 4 files`.
    pub fn summary(&self) -> String {
        let mut counts = Vec::new();
        for severity in [
            crate::policy::Severity::Critical,
            crate::policy::Severity::High,
            crate::policy::Severity::Medium,
            crate::policy::Severity::Low,
        ] {
            let n = self
                .visible()
                .filter(|f| self.policy(f).severity == severity)
                .count();
            if n > 0 {
                counts.push(format!("{n} {}", severity.as_str()));
            }
        }
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let visible = self.visible().count();
        let mut text = plural(visible, "finding");
        if !counts.is_empty() {
            text.push_str(&format!(" ({})", counts.join(", ")));
        }
        let suppressed = self.findings.len() - visible;
        if suppressed > 0 {
            text.push_str(&format!(", {suppressed} suppressed"));
        }
        text.push_str(&format!(" in {}", plural(self.files_scanned, "file")));
        if !self.errors.is_empty() {
            text.push_str(&format!(
                "; {} could not be parsed",
                plural(self.errors.len(), "file")
            ));
        }
        text
    }
}

/// 64-bit FNV-1a: stable across Rust versions and platforms, unlike std's hashers.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
