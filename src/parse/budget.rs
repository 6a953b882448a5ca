//! The work budget: one per Terraform project or template, shared by every front end, so
//! that no input makes rampart work more than linearly in its size.
//!
//! A unit is about one byte of memory: a value built by an evaluator (an expression
//! evaluated, a list item or object entry copied) costs its size, a string materialised
//! (templates, `Fn::Sub`, joins) its bytes.
//! The limit is `WORK_BASE + WORK_PER_BYTE × input bytes` unless `rampart.toml` sets
//! `[limits] work`. When it is exceeded the evaluator stops building values (they become
//! unknown) and the scan reports an error at the expression that exceeded it, so a run whose
//! analysis was cut short never passes.

use std::cell::Cell;

use crate::ir::Span;

/// Findings one project may hold before its findings stop being collected: findings grow
/// with (database, rule) pairs, so thousands of databases behind groups with thousands of
/// world-open rules would otherwise hold millions (about 500 bytes each).
pub const DEFAULT_MAX_FINDINGS: u64 = 250_000;

/// Work every input gets, whatever its size.
pub const WORK_BASE: u64 = 32 * 1024 * 1024;
/// Work per byte of input.
pub const WORK_PER_BYTE: u64 = 64;
/// What instantiating one module instance costs before any of its values (its blocks are
/// collected again for every instance).
pub const MODULE_INSTANCE_UNITS: u64 = 4096;

/// Why a value is unknown when the budget was spent before it was built.
pub const SPENT: &str = "work budget exceeded";

/// Stack kept free before an evaluator recurses, and the size of each new segment.
const STACK_RED_ZONE: usize = 128 * 1024;
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// Runs one level of an evaluator's recursion, growing the stack when it runs low: chains
/// of locals, variables or conditions recurse once per link, however long the chain.
pub fn deeper<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, f)
}

/// Limits of a scan, from `rampart.toml`'s `[limits]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// A fixed work budget per project or template, instead of the size-based default.
    pub work: Option<u64>,
    /// Files larger than this are refused (default 256 MiB).
    pub file_size: Option<u64>,
    /// Findings one project may hold (default [`DEFAULT_MAX_FINDINGS`]).
    pub findings: Option<u64>,
}

impl Limits {
    /// The largest file that is read.
    pub fn max_file_bytes(&self) -> u64 {
        self.file_size
            .unwrap_or(crate::fsread::DEFAULT_MAX_FILE_BYTES)
    }

    /// The most findings one project may hold.
    pub fn max_findings(&self) -> usize {
        usize::try_from(self.findings.unwrap_or(DEFAULT_MAX_FINDINGS)).unwrap_or(usize::MAX)
    }

    /// The budget for an input of `bytes` bytes.
    pub fn budget_for(&self, bytes: u64) -> Budget {
        Budget::new(
            self.work
                .unwrap_or_else(|| WORK_BASE.saturating_add(bytes.saturating_mul(WORK_PER_BYTE))),
        )
    }
}

/// Work counted against a limit. Single-threaded: one project is lowered on one thread.
#[derive(Debug)]
pub struct Budget {
    limit: u64,
    used: Cell<u64>,
    exceeded_at: Cell<Option<Span>>,
}

impl Default for Budget {
    fn default() -> Budget {
        Limits::default().budget_for(0)
    }
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget {
            limit,
            used: Cell::new(0),
            exceeded_at: Cell::new(None),
        }
    }

    /// Counts `units` of work done at `span`; `false` once the budget is spent (the first
    /// span that went over is kept for the report).
    pub fn charge(&self, units: u64, span: Span) -> bool {
        if self.exceeded_at.get().is_some() {
            return false;
        }
        let used = self.used.get().saturating_add(units);
        self.used.set(used);
        if used > self.limit {
            self.exceeded_at.set(Some(span));
            return false;
        }
        true
    }

    /// Counts keeping a copy of `value` (a cached local, a caller's argument) at its
    /// logical size, as if it were copied whole. Lists and objects are shared, so the copy
    /// itself is cheap, but whatever reads it walks every element: a value that reuses the
    /// level below twice is small in memory and exponential to walk. The size is counted
    /// only up to what is left, so charging is never more work than the budget.
    pub fn charge_copy(&self, value: &crate::ir::Value, span: Span) -> bool {
        let left = self.limit.saturating_sub(self.used.get());
        self.charge(weight(value, left.saturating_add(1)), span)
    }

    pub fn is_spent(&self) -> bool {
        self.exceeded_at.get().is_some()
    }

    /// Where the budget ran out, if it did.
    pub fn exceeded_at(&self) -> Option<Span> {
        self.exceeded_at.get()
    }

    pub fn used(&self) -> u64 {
        self.used.get()
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The error an exceeded budget is reported with, at the expression that exceeded it;
    /// `path` names the file that span is in.
    pub fn error(&self, path: impl FnOnce(Span) -> String) -> Option<crate::parse::FileError> {
        let span = self.exceeded_at()?;
        Some(crate::parse::FileError {
            path: path(span),
            span: Some(span),
            message: format!(
                "work budget exceeded ({} units) while evaluating this expression: it builds \
                 values far larger than the input, so the rest of this project was not \
                 analysed; raise `[limits] work` in rampart.toml if this is intended",
                self.limit
            ),
        })
    }
}

/// Units of one value built (its size in memory): a unit is about a byte.
pub const VALUE_UNITS: u64 = std::mem::size_of::<crate::ir::Value>() as u64;
const HOP_UNITS: u64 = std::mem::size_of::<crate::ir::Hop>() as u64;

/// What keeping a copy of `value` costs: its nodes, provenance hops and string bytes, about
/// the bytes a deep copy would take (shared parts counted every time they are reached),
/// counted until it reaches `cap`: the walk stops there.
fn weight(value: &crate::ir::Value, cap: u64) -> u64 {
    use crate::ir::Data;
    let mut total = 0u64;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        if total >= cap {
            return total;
        }
        total += VALUE_UNITS;
        if let crate::ir::Provenance::Resolved { chain } = &value.provenance {
            total += chain
                .iter()
                .map(|hop| HOP_UNITS + hop.via.len() as u64)
                .sum::<u64>();
        }
        match &value.data {
            Data::String(s) | Data::Unknown(s) | Data::Secret(s) => total += s.len() as u64,
            Data::List(items) => stack.extend(items.iter()),
            Data::OneOf(items) => stack.extend(items),
            Data::Object(map) => {
                total += map.keys().map(|k| k.len() as u64).sum::<u64>();
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list that holds the level below twice, 64 levels deep: 64 allocations, 2^64 nodes
    /// to walk. Charging its copy counts no more than the budget allows, and says so.
    #[test]
    fn a_shared_value_is_charged_at_its_logical_size_without_walking_it_all() {
        use crate::ir::{Data, Value};
        let span = Span::default();
        let mut value = Value::literal(Data::Bool(true), span);
        for _ in 0..64 {
            value = Value::literal(Data::List(vec![value.clone(), value].into()), span);
        }
        let cap = 1_000_000;
        let counted = weight(&value, cap);
        assert!(
            (cap..cap + 2 * VALUE_UNITS).contains(&counted),
            "counted {counted}"
        );
        let budget = Budget::new(cap);
        assert!(!budget.charge_copy(&value, span));
        assert!(budget.is_spent());
        // A small value is counted whole: one list of two booleans.
        let small = Value::literal(
            Data::List(vec![Value::literal(Data::Bool(true), span); 2].into()),
            span,
        );
        assert_eq!(weight(&small, u64::MAX), 3 * VALUE_UNITS);
    }

    #[test]
    fn charging_past_the_limit_records_the_first_span_only() {
        let budget = Budget::new(10);
        let span = |n: u32| Span {
            start: n,
            end: n + 1,
            ..Span::default()
        };
        assert!(budget.charge(10, span(1)));
        assert!(!budget.is_spent());
        assert!(!budget.charge(1, span(2)));
        assert!(!budget.charge(1, span(3)));
        assert_eq!(budget.exceeded_at(), Some(span(2)));
    }

    #[test]
    fn the_default_limit_grows_linearly_with_the_input() {
        let limits = Limits::default();
        assert_eq!(limits.budget_for(0).limit(), WORK_BASE);
        assert_eq!(
            limits.budget_for(1000).limit() - limits.budget_for(0).limit(),
            1000 * WORK_PER_BYTE
        );
        assert_eq!(
            Limits {
                work: Some(5),
                ..Limits::default()
            }
            .budget_for(1 << 30)
            .limit(),
            5
        );
    }
}
