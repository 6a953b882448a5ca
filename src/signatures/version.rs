//! Terraform version constraints (`~> 6.0`, `>= 5.1, < 7`, `6.1.0`) as version intervals,
//! enough to tell which module signature a `version` argument selects.

use semver::Version;

/// One end of an interval: the version and whether it is included.
type Bound = Option<(Version, bool)>;

/// The versions a constraint allows, as one interval (`!=` exclusions are ignored: they
/// never change which major version is selected).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interval {
    low: Bound,
    high: Bound,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not a Terraform version constraint")]
pub struct BadConstraint(pub String);

impl Interval {
    /// Every version.
    pub fn any() -> Interval {
        Interval {
            low: None,
            high: None,
        }
    }

    pub fn parse(text: &str) -> Result<Interval, BadConstraint> {
        let bad = || BadConstraint(text.to_string());
        let mut interval = Interval::any();
        for part in text.split(',') {
            let part = part.trim();
            if part.is_empty() {
                return Err(bad());
            }
            let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
                .iter()
                .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest.trim())))
                .unwrap_or(("=", part));
            let rest = rest.strip_prefix('v').unwrap_or(rest);
            let written = rest.split(['-', '+']).next().unwrap_or("");
            let parts = written.split('.').count();
            let version = parse_version(rest).ok_or_else(bad)?;
            match op {
                "=" => {
                    interval.raise(version.clone(), true);
                    interval.lower(version, true);
                }
                ">=" => interval.raise(version, true),
                ">" => interval.raise(version, false),
                "<=" => interval.lower(version, true),
                "<" => interval.lower(version, false),
                "~>" => {
                    // `~> 1.2` allows 1.x from 1.2; `~> 1.2.3` allows 1.2.x from 1.2.3.
                    let high = match parts {
                        1 | 2 => Version::new(version.major + 1, 0, 0),
                        _ => Version::new(version.major, version.minor + 1, 0),
                    };
                    interval.raise(version, true);
                    interval.lower(high, false);
                }
                _ => {} // `!=`
            }
        }
        Ok(interval)
    }

    fn raise(&mut self, version: Version, inclusive: bool) {
        let replace = match &self.low {
            None => true,
            Some((low, low_inclusive)) => {
                version > *low || (version == *low && !inclusive && *low_inclusive)
            }
        };
        if replace {
            self.low = Some((version, inclusive));
        }
    }

    fn lower(&mut self, version: Version, inclusive: bool) {
        let replace = match &self.high {
            None => true,
            Some((high, high_inclusive)) => {
                version < *high || (version == *high && !inclusive && *high_inclusive)
            }
        };
        if replace {
            self.high = Some((version, inclusive));
        }
    }

    /// Whether some version is in both intervals.
    pub fn overlaps(&self, other: &Interval) -> bool {
        let mut both = self.clone();
        if let Some((v, inclusive)) = other.low.clone() {
            both.raise(v, inclusive);
        }
        if let Some((v, inclusive)) = other.high.clone() {
            both.lower(v, inclusive);
        }
        !both.is_empty()
    }

    fn is_empty(&self) -> bool {
        match (&self.low, &self.high) {
            (Some((low, low_inclusive)), Some((high, high_inclusive))) => {
                low > high || (low == high && !(*low_inclusive && *high_inclusive))
            }
            _ => false,
        }
    }

    /// `7.x` for the interval of one major version, else the bounds as written.
    pub fn label(&self) -> String {
        if let (Some((low, true)), Some((high, false))) = (&self.low, &self.high)
            && low.minor == 0
            && low.patch == 0
            && *high == Version::new(low.major + 1, 0, 0)
        {
            return format!("{}.x", low.major);
        }
        let mut parts = Vec::new();
        if let Some((low, inclusive)) = &self.low {
            parts.push(format!("{} {low}", if *inclusive { ">=" } else { ">" }));
        }
        if let Some((high, inclusive)) = &self.high {
            parts.push(format!("{} {high}", if *inclusive { "<=" } else { "<" }));
        }
        if parts.is_empty() {
            "any version".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// `1`, `1.2`, `1.2.3`, with an optional pre-release (`1.2.3-beta.1`); missing parts are 0.
pub fn parse_version(text: &str) -> Option<Version> {
    let text = text.trim();
    let text = text.strip_prefix('v').unwrap_or(text);
    let (core, suffix) = match text.find(['-', '+']) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let mut numbers = core.split('.');
    let mut next = || -> Option<u64> {
        match numbers.next() {
            None => Some(0),
            Some(n) => n.parse().ok(),
        }
    };
    let (major, minor, patch) = (next()?, next()?, next()?);
    if numbers.next().is_some() {
        return None;
    }
    Version::parse(&format!("{major}.{minor}.{patch}{suffix}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(constraint: &str, version: &str) -> bool {
        let point = Interval::parse(&format!("= {version}")).unwrap();
        Interval::parse(constraint).unwrap().overlaps(&point)
    }

    #[test]
    fn pessimistic_operator_follows_terraform() {
        assert!(allows("~> 6.0", "6.9.1"));
        assert!(!allows("~> 6.0", "7.0.0"));
        assert!(allows("~> 6.1.2", "6.1.9"));
        assert!(!allows("~> 6.1.2", "6.2.0"));
        assert!(!allows("~> 6.1.2", "6.1.1"));
        assert!(allows("~> 6", "6.4.0"));
        assert!(!allows("~> 6", "7.0.0"));
    }

    #[test]
    fn comparisons_and_exact_versions() {
        assert!(allows(">= 5.1, < 7", "6.0.0"));
        assert!(!allows(">= 5.1, < 7", "7.0.0"));
        assert!(!allows(">= 5.1, < 7", "5.0.9"));
        assert!(allows("6.1.0", "6.1.0"));
        assert!(allows("v6.1.0", "6.1.0"));
        assert!(!allows("= 6.1.0", "6.1.1"));
        assert!(!allows("> 6.1.0", "6.1.0"));
        assert!(allows("<= 6.1.0", "6.1.0"));
        assert!(allows("!= 6.1.0", "6.1.0"), "exclusions are ignored");
    }

    #[test]
    fn major_version_intervals_overlap_as_expected() {
        let six = Interval::parse(">= 6.0.0, < 7.0.0").unwrap();
        assert_eq!(six.label(), "6.x");
        assert!(six.overlaps(&Interval::parse("~> 6.3").unwrap()));
        assert!(six.overlaps(&Interval::parse(">= 5.0").unwrap()));
        assert!(!six.overlaps(&Interval::parse("~> 5.0").unwrap()));
        assert!(!six.overlaps(&Interval::parse(">= 7.0").unwrap()));
        assert!(six.overlaps(&Interval::any()));
        assert_eq!(Interval::parse(">= 1.2").unwrap().label(), ">= 1.2.0");
    }

    #[test]
    fn malformed_constraints_are_errors() {
        for text in ["", "~>", ">= six", "1.2.3.4", "6.0,", ">= 1.0 < 2"] {
            assert!(Interval::parse(text).is_err(), "{text:?}");
        }
    }
}
