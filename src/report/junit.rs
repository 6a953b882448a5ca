//! `--format junit`: JUnit XML, the test report that GitLab (`artifacts:reports:junit`),
//! Jenkins (the JUnit plugin) and Azure DevOps (`PublishTestResults`, format JUnit) show in
//! their test tabs. One `<testsuite>` per scanned file; each finding is a failed
//! `<testcase>`, a suppressed one a skipped test; a file with no finding holds one passing
//! test, so an analysed, clean file is visible as such; a file that could not be read or
//! parsed is a test in error; notices (nothing scanned, not analysed) are a suite of their
//! own, skipped, or in error when they fail the run. Checked against
//! `testdata/schemas/junit.xsd`, written from the structure those CI systems document.

use std::collections::BTreeMap;

use super::Report;
use crate::policy::Finding;

/// Text from scanned files made safe for XML 1.0: terminal controls escaped (XML forbids
/// most of them), then the markup characters.
fn xml(text: &str) -> String {
    super::terminal_safe(text)
        .replace(['\u{FFFE}', '\u{FFFF}'], "\u{FFFD}")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The tests of one file: findings (with their suppression), and errors.
#[derive(Default)]
struct Suite<'a> {
    findings: Vec<(&'a Finding, Option<&'a crate::suppress::Suppression>)>,
    errors: Vec<&'a crate::diagnostic::FileError>,
}

pub fn render(report: &Report) -> String {
    super::render_to_string(|out| write(out, report))
}

pub fn write<W: std::io::Write + ?Sized>(out: &mut W, report: &Report) -> std::io::Result<()> {
    let sources = report.sources;
    // Suites by the path users see in their repository, sorted: the bytes never depend on
    // scheduling.
    let mut suites: BTreeMap<String, Suite> = BTreeMap::new();
    for file in sources.files() {
        if !file.skipped && file.embedded.is_none() {
            suites.entry(file.repo_path.clone()).or_default();
        }
    }
    for (index, finding) in report.findings.iter().enumerate() {
        let file = sources.get(finding.span.file);
        suites
            .entry(file.repo_path.clone())
            .or_default()
            .findings
            .push((finding, report.suppression(index)));
    }
    for error in report.errors {
        let path = match error.span {
            Some(span) => sources.get(span.file).repo_path.clone(),
            None => error.path.clone(),
        };
        suites.entry(path).or_default().errors.push(error);
    }

    let mut body = String::new();
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    for (path, suite) in &suites {
        let suite_failures = suite.findings.iter().filter(|(_, s)| s.is_none()).count();
        let suite_skipped = suite.findings.len() - suite_failures;
        let suite_errors = suite.errors.len();
        // A clean, analysed file is one passing test.
        let passing = usize::from(suite.findings.is_empty() && suite.errors.is_empty());
        let suite_tests = suite.findings.len() + suite_errors + passing;
        tests += suite_tests;
        failures += suite_failures;
        errors += suite_errors;
        skipped += suite_skipped;
        let path = xml(path);
        body.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{suite_tests}\" failures=\"{suite_failures}\" \
             errors=\"{suite_errors}\" skipped=\"{suite_skipped}\" time=\"0\">\n"
        ));
        for error in &suite.errors {
            let line = error.span.map(|span| sources.start(span).line).unwrap_or(1);
            body.push_str(&format!(
                "    <testcase classname=\"{path}\" name=\"could not be read or parsed\" \
                 file=\"{path}\" line=\"{line}\" time=\"0\">\n      <error type=\"error\" \
                 message=\"{}\"/>\n    </testcase>\n",
                xml(&error.message)
            ));
        }
        for (finding, suppression) in &suite.findings {
            let policy = report.policy(finding);
            let start = sources.start(finding.span);
            body.push_str(&format!(
                "    <testcase classname=\"{path}\" name=\"{} {}\" file=\"{path}\" line=\"{}\" \
                 time=\"0\">\n",
                xml(&policy.id),
                xml(&finding.address),
                start.line
            ));
            match suppression {
                Some(suppression) => body.push_str(&format!(
                    "      <skipped message=\"suppressed: {}\"/>\n",
                    xml(&suppression.describe())
                )),
                None => body.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {} {}\n{}\n\nFix: {}\n{}</failure>\n",
                    policy.severity.as_str(),
                    xml(&finding.message),
                    path,
                    start.line,
                    start.column,
                    xml(&policy.id),
                    xml(&policy.title),
                    xml(&finding.message),
                    xml(&policy.remediation.for_finding(finding)),
                    xml(&policy.docs_url()),
                )),
            }
            body.push_str("    </testcase>\n");
        }
        if passing == 1 {
            body.push_str(&format!(
                "    <testcase classname=\"{path}\" name=\"no finding\" file=\"{path}\" time=\"0\"/>\n"
            ));
        }
        body.push_str("  </testsuite>\n");
    }
    if !report.notices.is_empty() {
        let in_error = report.notices.iter().filter(|n| report.is_error(n)).count();
        let notices = report.notices.len();
        tests += notices;
        errors += in_error;
        skipped += notices - in_error;
        body.push_str(&format!(
            "  <testsuite name=\"rampart\" tests=\"{notices}\" failures=\"0\" errors=\"{in_error}\" \
             skipped=\"{}\" time=\"0\">\n",
            notices - in_error
        ));
        for notice in report.notices {
            let place = notice
                .span
                .map(|span| {
                    let start = sources.start(span);
                    format!("{}:{}: ", sources.get(span.file).repo_path, start.line)
                })
                .unwrap_or_default();
            let message = xml(&format!("{place}{}", notice.message));
            let outcome = if report.is_error(notice) {
                format!("<error type=\"not analysed\" message=\"{message}\"/>")
            } else {
                format!("<skipped message=\"{message}\"/>")
            };
            body.push_str(&format!(
                "    <testcase classname=\"rampart\" name=\"{message}\" time=\"0\">\n      {outcome}\n    </testcase>\n"
            ));
        }
        body.push_str("  </testsuite>\n");
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rampart\" tests=\"{tests}\" \
         failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"0\">\n{body}</testsuites>\n"
    )
}
