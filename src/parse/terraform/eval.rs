//! Evaluation of Terraform expressions into IR values, as far as Terraform itself would know
//! them before `plan`. Whatever cannot be known is `Unknown`, never a guess.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Element, Template};

use crate::ir::{Data, FileId, Hop, Hops, Link, Provenance, Span, Value};
use crate::parse::budget::{self, Budget};
use crate::parse::{Evaluating, Notice};

use super::{functions, span_of};

/// A variable or local: where it is defined and the expression that defines it.
pub struct Definition<'a> {
    pub file: FileId,
    pub expr: Option<&'a Expression>,
    /// A variable's type constraint (`optional()` defaults fill values in).
    pub ty: Option<&'a Expression>,
}

/// Names visible inside one module instance.
#[derive(Default)]
pub struct Scope<'a> {
    pub variables: HashMap<String, Definition<'a>>,
    /// Values given to variables by the caller (module arguments) or by tfvars, spanned
    /// where they were written; they win over defaults.
    pub inputs: HashMap<String, Value>,
    /// What an input hop is called in messages (`module.db`, `terraform.tfvars`).
    pub instance_label: String,
    pub locals: HashMap<String, Definition<'a>>,
    /// `type.name` of every resource of the module.
    pub resources: HashSet<String>,
    /// The `count` or `for_each` expression of resources that have one.
    pub repetitions: HashMap<String, (FileId, &'a Expression)>,
    /// How many instances each of those has, once asked (`None`: not known).
    instance_counts: RefCell<HashMap<String, Option<usize>>>,
    /// Address prefix of this instance (`module.db.`), so links name the real resource.
    pub prefix: String,
    /// The work budget of the whole project, shared by every module instance.
    pub budget: Rc<Budget>,
    /// Outputs of the module calls made so far, by call name: an object of outputs, or a
    /// list (`count`) or map (`for_each`) of them.
    module_outputs: RefCell<HashMap<String, Value>>,
    local_cache: RefCell<HashMap<String, Value>>,
    variable_cache: RefCell<HashMap<String, Value>>,
    /// `local.x` and `var.x` being evaluated (to report cycles).
    evaluating: Evaluating,
    /// Names bound by enclosing `for` expressions, innermost last.
    bindings: RefCell<Vec<(String, Value)>>,
    notices: RefCell<Vec<Notice>>,
}

/// Data sources whose values come from a secret store.
const SECRET_DATA_SOURCES: &[&str] = &[
    "aws_secretsmanager_secret_version",
    "aws_ssm_parameter",
    "aws_kms_secrets",
];

impl<'a> Scope<'a> {
    pub fn eval(&self, file: FileId, expr: &Expression) -> Value {
        let span = span_of(file, expr, Span::new(file, 0..0));
        if !self.budget.charge(budget::VALUE_UNITS, span) {
            return Value::unknown(budget::SPENT, span);
        }
        budget::deeper(|| self.eval_expression(file, expr, span))
    }

    /// Charges the copy of a value kept elsewhere (a cached local, a caller's argument):
    /// copies are where values that reuse each other grow exponentially.
    fn charge_copy(&self, value: &Value, span: Span) -> bool {
        self.budget.charge_copy(value, span)
    }

    fn eval_expression(&self, file: FileId, expr: &Expression, span: Span) -> Value {
        match expr {
            Expression::Null(_) => Value::literal(Data::Null, span),
            Expression::Bool(b) => Value::literal(Data::Bool(*b.value()), span),
            Expression::Number(n) => match n.value().as_f64() {
                Some(n) => Value::literal(Data::Number(n), span),
                None => Value::unknown("number out of range", span),
            },
            Expression::String(s) => Value::literal(Data::String(s.value().clone()), span),
            Expression::Array(array) => {
                let items: Vec<Value> = array.iter().map(|item| self.eval(file, item)).collect();
                combine_owned(|items| Data::List(items.into()), items, span)
            }
            Expression::Object(object) => self.eval_object(file, object, span),
            Expression::StringTemplate(template) => self.eval_template(file, template, span),
            Expression::HeredocTemplate(heredoc) => {
                self.eval_template(file, &heredoc.template, span)
            }
            Expression::Parenthesis(inner) => {
                let mut value = self.eval(file, inner.inner());
                value.span = span;
                value
            }
            Expression::Conditional(cond) => {
                let test = self.eval(file, &cond.cond_expr);
                match test.as_truthy() {
                    Some(choice) if !test.is_unknown() => {
                        let branch = if choice {
                            &cond.true_expr
                        } else {
                            &cond.false_expr
                        };
                        self.eval(file, branch)
                    }
                    _ => Value::unknown("condition not known before apply", span),
                }
            }
            Expression::Traversal(traversal) => {
                self.eval_traversal(file, &traversal.expr, &traversal.operators, span)
            }
            Expression::Variable(name) => match self.binding(name.as_str()) {
                Some(value) => Value { span, ..value },
                None => Value::unknown(format!("bare name `{}`", name.as_str()), span),
            },
            Expression::FuncCall(call) => self.eval_call(file, call, span),
            Expression::UnaryOp(op) => {
                let operand = self.eval(file, &op.expr);
                let data = match (op.operator.value(), &operand.data) {
                    (UnaryOperator::Not, Data::Bool(b)) => Some(Data::Bool(!b)),
                    (UnaryOperator::Neg, Data::Number(n)) => Some(Data::Number(-n)),
                    _ => None,
                };
                match data {
                    Some(data) => combine(data, &[operand], span),
                    None => Value::unknown("operand not known", span),
                }
            }
            Expression::BinaryOp(op) => self.eval_binary(file, op, span),
            Expression::ForExpr(for_expr) => self.eval_for(file, for_expr, span),
        }
    }

    /// Converts the caller's arguments (or tfvars values) to the variables' types, once
    /// per instance: `optional()` attributes they leave out take their defaults.
    pub fn conform_inputs(&mut self) {
        let mut inputs = std::mem::take(&mut self.inputs);
        for (name, value) in inputs.iter_mut() {
            let Some(Definition {
                file, ty: Some(ty), ..
            }) = self.variables.get(name)
            else {
                continue;
            };
            if !self.charge_copy(value, value.span) {
                *value = Value::unknown(budget::SPENT, value.span);
                continue;
            }
            let taken = std::mem::replace(value, Value::literal(Data::Null, value.span));
            *value = super::types::conform(self, *file, taken, ty, &format!("var.{name}"));
        }
        self.inputs = inputs;
    }

    /// Makes the outputs of module call `name` readable as `module.NAME`. Locals computed
    /// before were computed without them, so they are computed again.
    pub fn set_module_outputs(&self, name: &str, outputs: Value) {
        self.module_outputs
            .borrow_mut()
            .insert(name.to_string(), outputs);
        self.local_cache.borrow_mut().clear();
    }

    /// The value of one `output` block of this instance, as the caller reads it: spanned
    /// at the output's expression, with a hop naming it.
    pub fn output(
        &self,
        file: FileId,
        block: &hcl_edit::structure::Block,
    ) -> Option<(String, Value)> {
        let name = block.labels.first()?.as_str().to_string();
        let expr = &block.body.get_attribute("value")?.value;
        let value = self.eval(file, expr);
        let via = format!("output.{name} of {}", self.instance_label);
        let span = value.span;
        Some((name, value.resolved_at(via, span, span)))
    }

    /// Runs `f` with `name` bound (as `count`, `each` or a dynamic block iterator).
    pub fn with_binding<T>(&self, name: &str, value: Value, f: impl FnOnce() -> T) -> T {
        self.bindings.borrow_mut().push((name.to_string(), value));
        let result = f();
        self.bindings.borrow_mut().pop();
        result
    }

    /// Notices raised while evaluating (cycles among locals), once each.
    pub fn take_notices(&self) -> Vec<Notice> {
        let mut notices = std::mem::take(&mut *self.notices.borrow_mut());
        notices.sort_by(|a, b| a.span.cmp(&b.span).then(a.message.cmp(&b.message)));
        notices.dedup();
        notices
    }

    fn binding(&self, name: &str) -> Option<Value> {
        self.bindings
            .borrow()
            .iter()
            .rev()
            .find(|(bound, _)| bound == name)
            .map(|(_, value)| value.clone())
    }

    fn eval_call(&self, file: FileId, call: &hcl_edit::expr::FuncCall, span: Span) -> Value {
        let name = call.name.name.as_str();
        if !call.name.namespace.is_empty() || call.args.expand_final() {
            return Value::unknown(format!("call to `{name}` not evaluated"), span);
        }
        let args: Vec<Value> = call.args.iter().map(|arg| self.eval(file, arg)).collect();
        match name {
            // `try` and `can` are about errors, which an unknown value may still raise: only
            // a fully known first argument decides.
            // The result is one of the arguments: it keeps its own place and provenance, so
            // a finding lands where that value is written (the caller's argument, or the
            // fallback literal inside the call).
            "try" => {
                // The first argument that is known; one Terraform rejects (`length(null)`,
                // `null.attr`) is skipped, as `try` skips errors.
                for arg in args {
                    // A reference to a resource that exists does not fail either.
                    if functions::is_known(&arg) || without_unknowns(&arg) {
                        return arg;
                    }
                    if !is_terraform_error(&arg) {
                        break;
                    }
                }
                return Value::unknown("try() of a value not known", span);
            }
            // `jsonencode` of a document with unknown parts (a data source's account id)
            // is that document: policies read it part by part instead of not at all.
            "jsonencode"
                if args.len() == 1
                    && matches!(args[0].data, Data::Object(_) | Data::List(_))
                    && !functions::is_known(&args[0]) =>
            {
                let mut document = args.into_iter().next().expect("one argument");
                document.span = span;
                return document;
            }
            "coalesce" => {
                for arg in args {
                    match &arg.data {
                        Data::Null => continue,
                        Data::String(s) if s.is_empty() => continue,
                        _ if !functions::is_known(&arg) => break,
                        _ => return arg,
                    }
                }
                return Value::unknown("coalesce() not known before apply", span);
            }
            "can" => {
                return match args.first() {
                    Some(first) if functions::is_known(first) => {
                        combine(Data::Bool(true), &args, span)
                    }
                    Some(first) if is_terraform_error(first) => {
                        Value::literal(Data::Bool(false), span)
                    }
                    _ => Value::unknown("can() of a value not known", span),
                };
            }
            // The value found is one written elsewhere: it keeps its place and provenance.
            "lookup" if args.len() >= 2 => {
                if let (Some(map), Some(key)) = (args[0].as_object(), functions::string(&args[1]))
                    && !args[0].is_unknown()
                {
                    match map.get(&key) {
                        Some(found) => return found.clone(),
                        None if args.len() == 3 => return args[2].clone(),
                        None => {}
                    }
                }
            }
            "length"
                if matches!(
                    args.as_slice(),
                    [Value {
                        data: Data::Null,
                        ..
                    }]
                ) =>
            {
                return Value::unknown(TERRAFORM_ERROR, span);
            }
            _ => {}
        }
        match functions::call(name, &args, span) {
            Some(data) => combine(data, &args, span),
            None => Value::unknown(format!("{name}() not known before apply"), span),
        }
    }

    fn eval_binary(&self, file: FileId, op: &hcl_edit::expr::BinaryOp, span: Span) -> Value {
        let lhs = self.eval(file, &op.lhs_expr);
        let operator = *op.operator.value();
        // `false && x` and `true || x` are decided whatever x is.
        match (operator, &lhs.data) {
            (BinaryOperator::And, Data::Bool(false)) | (BinaryOperator::Or, Data::Bool(true)) => {
                return combine(lhs.data.clone(), std::slice::from_ref(&lhs), span);
            }
            _ => {}
        }
        let rhs = self.eval(file, &op.rhs_expr);
        // `unknown && false` and `unknown || true` are decided too, as Terraform decides them.
        match (operator, &rhs.data) {
            (BinaryOperator::And, Data::Bool(false)) | (BinaryOperator::Or, Data::Bool(true)) => {
                return combine(rhs.data.clone(), std::slice::from_ref(&rhs), span);
            }
            _ => {}
        }
        if !functions::is_known(&lhs) || !functions::is_known(&rhs) {
            return Value::unknown("operand not known", span);
        }
        let numbers = || Some((lhs.as_number()?, rhs.as_number()?));
        let data = match operator {
            BinaryOperator::Eq => Some(Data::Bool(functions::equal(&lhs.data, &rhs.data))),
            BinaryOperator::NotEq => Some(Data::Bool(!functions::equal(&lhs.data, &rhs.data))),
            BinaryOperator::And | BinaryOperator::Or => match (&lhs.data, &rhs.data) {
                (Data::Bool(a), Data::Bool(b)) => {
                    Some(Data::Bool(if operator == BinaryOperator::And {
                        *a && *b
                    } else {
                        *a || *b
                    }))
                }
                _ => None,
            },
            BinaryOperator::Less => numbers().map(|(a, b)| Data::Bool(a < b)),
            BinaryOperator::LessEq => numbers().map(|(a, b)| Data::Bool(a <= b)),
            BinaryOperator::Greater => numbers().map(|(a, b)| Data::Bool(a > b)),
            BinaryOperator::GreaterEq => numbers().map(|(a, b)| Data::Bool(a >= b)),
            BinaryOperator::Plus => numbers().map(|(a, b)| Data::Number(a + b)),
            BinaryOperator::Minus => numbers().map(|(a, b)| Data::Number(a - b)),
            BinaryOperator::Mul => numbers().map(|(a, b)| Data::Number(a * b)),
            BinaryOperator::Div => numbers()
                .filter(|(_, b)| *b != 0.0)
                .map(|(a, b)| Data::Number(a / b)),
            BinaryOperator::Mod => numbers()
                .filter(|(_, b)| *b != 0.0)
                .map(|(a, b)| Data::Number(a % b)),
        };
        match data {
            Some(data) => combine(data, &[lhs, rhs], span),
            None => Value::unknown("operation not valid on these values", span),
        }
    }

    fn eval_for(&self, file: FileId, for_expr: &hcl_edit::expr::ForExpr, span: Span) -> Value {
        let collection = self.eval(file, &for_expr.intro.collection_expr);
        if for_expr.grouping {
            return Value::unknown("grouping for expressions are not evaluated", span);
        }
        let Some(pairs) = key_value_pairs(&collection) else {
            return Value::unknown("for expression over a value not known", span);
        };
        let key_var = for_expr
            .intro
            .key_var
            .as_ref()
            .map(|k| k.as_str().to_string());
        let value_var = for_expr.intro.value_var.as_str().to_string();
        let mut list = Vec::new();
        let mut object = BTreeMap::new();
        for (key, value) in pairs {
            let depth = self.bindings.borrow().len();
            if let Some(key_var) = &key_var {
                self.bindings.borrow_mut().push((key_var.clone(), key));
            }
            self.bindings.borrow_mut().push((value_var.clone(), value));
            let keep = match &for_expr.cond {
                Some(cond) => match self.eval(file, &cond.expr).data {
                    Data::Bool(keep) => Some(keep),
                    _ => None,
                },
                None => Some(true),
            };
            let produced = match keep {
                None => Err(()),
                Some(false) => Ok(None),
                Some(true) => {
                    let item = self.eval(file, &for_expr.value_expr);
                    match &for_expr.key_expr {
                        Some(key_expr) => match self.eval(file, key_expr).data {
                            Data::String(k) => Ok(Some((Some(k), item))),
                            _ => Err(()),
                        },
                        None => Ok(Some((None, item))),
                    }
                }
            };
            self.bindings.borrow_mut().truncate(depth);
            match produced {
                Err(()) => {
                    return Value::unknown("for expression condition or key not known", span);
                }
                Ok(None) => {}
                Ok(Some((Some(k), item))) => {
                    object.insert(k, item);
                }
                Ok(Some((None, item))) => list.push(item),
            }
        }
        let data = if for_expr.key_expr.is_some() {
            Data::Object(object.into())
        } else {
            Data::List(list.into())
        };
        combine(data, std::slice::from_ref(&collection), span)
    }

    fn eval_object(&self, file: FileId, object: &hcl_edit::expr::Object, span: Span) -> Value {
        let mut map = BTreeMap::new();
        let mut hops = Hops::default();
        for (key, value) in object.iter() {
            let key = match key {
                ObjectKey::Ident(ident) => ident.as_str().to_string(),
                ObjectKey::Expression(expr) => match self.eval(file, expr).data {
                    Data::String(s) => s,
                    _ => return Value::unknown("object key not known", span),
                },
            };
            let value = self.eval(file, value.expr());
            hops.add(&value);
            map.insert(key, value);
        }
        hops.build(Data::Object(map.into()), span)
    }

    fn eval_template(&self, file: FileId, template: &Template, span: Span) -> Value {
        // `"${x}"` alone is `x` itself, of whatever type (a link stays a link), and where
        // `x` puts it: a caller's argument read through `"${var.x}"` lands on that argument.
        let mut elements = template.iter();
        if let (Some(Element::Interpolation(only)), None) = (elements.next(), elements.next()) {
            let value = self.eval(file, &only.expr);
            let written_here = value.span.file == span.file
                && value.span.start >= span.start
                && value.span.end <= span.end;
            return if written_here {
                Value { span, ..value }
            } else {
                value
            };
        }
        let mut text = String::new();
        let mut parts = Vec::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => text.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    let value = self.eval(file, &interpolation.expr);
                    match &value.data {
                        Data::String(s) => text.push_str(s),
                        Data::Number(n) => text.push_str(&crate::ir::format_number(*n)),
                        Data::Bool(b) => text.push_str(&b.to_string()),
                        Data::Secret(reason) => {
                            return Value::literal(Data::Secret(reason.clone()), span);
                        }
                        _ => return Value::unknown("template part not known", span),
                    }
                    parts.push(value);
                }
                Element::Directive(_) => {
                    return Value::unknown("template directives are not evaluated", span);
                }
            }
            if text.len() as u64 > self.budget.limit() {
                self.budget.charge(text.len() as u64, span);
                return Value::unknown(budget::SPENT, span);
            }
        }
        if !self.budget.charge(text.len() as u64, span) {
            return Value::unknown(budget::SPENT, span);
        }
        combine(Data::String(text), &parts, span)
    }

    fn eval_traversal(
        &self,
        file: FileId,
        root: &Expression,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        span: Span,
    ) -> Value {
        let Expression::Variable(root_name) = root else {
            let base = self.eval(file, root);
            return apply_operators(self, file, base, operators, span);
        };
        if let Some(bound) = self.binding(root_name.as_str()) {
            return apply_operators(self, file, bound, operators, span);
        }
        let first_attr = match operators.first().map(|op| op.value()) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let rest = operators.get(1..).unwrap_or(&[]);
        match (root_name.as_str(), first_attr) {
            ("var", Some(name)) => {
                let value = self.variable(name, span);
                if rest.is_empty() {
                    // Keeps the span of a caller's argument or a tfvars value.
                    value
                } else {
                    apply_operators(self, file, value, rest, span)
                }
            }
            ("local", Some(name)) => {
                let value = self.local(name, span);
                apply_operators(self, file, value, rest, span)
            }
            ("data", Some(data_type)) => {
                let what = format!("data source data.{data_type}");
                if SECRET_DATA_SOURCES.contains(&data_type) {
                    Value::literal(Data::Secret(what), span)
                } else {
                    Value::unknown(what, span)
                }
            }
            ("module", Some(name)) => match self.module_outputs.borrow().get(name) {
                Some(outputs) => {
                    if !self.charge_copy(outputs, span) {
                        return Value::unknown(budget::SPENT, span);
                    }
                    let outputs = Value {
                        span,
                        ..outputs.clone()
                    };
                    apply_operators(self, file, outputs, rest, span)
                }
                None => Value::unknown(format!("module.{name} was not analysed"), span),
            },
            ("module" | "count" | "each" | "path" | "terraform" | "self", _) => Value::unknown(
                format!("`{}` values are not known here", root_name.as_str()),
                span,
            ),
            (resource_type, Some(resource_name)) => {
                let address = format!("{resource_type}.{resource_name}");
                if !self.resources.contains(&address) {
                    return Value::unknown(format!("unresolved reference {address}"), span);
                }
                // A resource known to have no instance: its splat is empty, and an index
                // into it is an error (`try` moves on, as Terraform's does).
                if let Some(count) = self.instance_count(&address) {
                    let indexed = match rest.first().map(|op| op.value()) {
                        Some(TraversalOperator::LegacyIndex(i)) => Some(*i.value() as usize),
                        Some(TraversalOperator::Index(index)) => self
                            .eval(file, index)
                            .as_number()
                            .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                            .map(|n| n as usize),
                        _ => None,
                    };
                    if indexed.is_some_and(|i| i >= count) {
                        return Value::unknown(TERRAFORM_ERROR, span);
                    }
                    let splat = rest.iter().any(|op| {
                        matches!(
                            op.value(),
                            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)
                        )
                    });
                    if count == 0 && splat {
                        return Value::literal(Data::List(Vec::new().into()), span);
                    }
                }
                // `aws_x.y[0].id` and `aws_x.y["k"].id` still name resource aws_x.y.
                let attribute = rest.iter().find_map(|op| match op.value() {
                    TraversalOperator::GetAttr(name) => Some(name.as_str().to_string()),
                    _ => None,
                });
                let link = Value::literal(
                    Data::Link(Link {
                        target: format!("{}{address}", self.prefix),
                        attribute,
                    }),
                    span,
                );
                // `aws_x.y[*].id` is a list of the instances' ids: one link stands for them.
                let splat = rest.iter().any(|op| {
                    matches!(
                        op.value(),
                        TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)
                    )
                });
                if splat {
                    Value::literal(Data::List(vec![link].into()), span)
                } else {
                    link
                }
            }
            _ => Value::unknown("unresolved reference", span),
        }
    }

    /// Instances of resource `address` when its `count` / `for_each` is known; a
    /// resource without either has one.
    fn instance_count(&self, address: &str) -> Option<usize> {
        let Some((file, expr)) = self.repetitions.get(address).copied() else {
            return Some(1);
        };
        if let Some(known) = self.instance_counts.borrow().get(address) {
            return *known;
        }
        // Marked not known while evaluating: a `count` that reads its own resource (which
        // Terraform rejects) ends here instead of recursing.
        self.instance_counts
            .borrow_mut()
            .insert(address.to_string(), None);
        let value = self.eval(file, expr);
        let count = if value.is_unknown() {
            None
        } else {
            match &value.data {
                Data::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as usize),
                Data::Object(map) => Some(map.len()),
                Data::List(items) => Some(items.len()),
                _ => None,
            }
        };
        self.instance_counts
            .borrow_mut()
            .insert(address.to_string(), count);
        count
    }

    fn variable(&self, name: &str, use_span: Span) -> Value {
        if let Some(input) = self.inputs.get(name) {
            if input.is_unknown() {
                return input.clone();
            }
            if !self.charge_copy(input, use_span) {
                return Value::unknown(budget::SPENT, use_span);
            }
            // The value was written by the caller: a finding belongs on that argument, and
            // the use inside the module is a related place.
            let mut chain = vec![Hop {
                via: format!("var.{name} of {}", self.instance_label),
                span: use_span,
            }];
            if let Provenance::Resolved { chain: inner } = &input.provenance {
                chain.extend(inner.iter().cloned());
            }
            return Value {
                data: input.data.clone(),
                span: input.span,
                provenance: Provenance::resolved(chain),
            };
        }
        let Some(definition) = self.variables.get(name) else {
            return Value::unknown(format!("undeclared variable var.{name}"), use_span);
        };
        let Some(default) = definition.expr else {
            return Value::unknown(format!("var.{name} has no default"), use_span);
        };
        let value = match self.cached(&self.variable_cache, name, use_span) {
            Some(cached) => cached,
            None => {
                let key = format!("var.{name}");
                let Some(value) = self.evaluate_once(&key, use_span, || {
                    let value = self.eval(definition.file, default);
                    match definition.ty {
                        Some(ty) => super::types::conform(self, definition.file, value, ty, &key),
                        None => value,
                    }
                }) else {
                    return Value::unknown(format!("var.{name} refers to itself"), use_span);
                };
                self.keep(&self.variable_cache, name, &value, use_span);
                value
            }
        };
        // `default = null` is a known null: the argument it reaches is unset, as in
        // Terraform, and the provider's default applies.
        resolved(value, format!("var.{name}"), use_span)
    }

    /// A cached value, charged as a copy; `None` when not cached. A copy the budget cannot
    /// pay for is unknown.
    fn cached(
        &self,
        cache: &RefCell<HashMap<String, Value>>,
        name: &str,
        use_span: Span,
    ) -> Option<Value> {
        let cache = cache.borrow();
        let cached = cache.get(name)?;
        if !self.charge_copy(cached, use_span) {
            return Some(Value::unknown(budget::SPENT, use_span));
        }
        Some(cached.clone())
    }

    /// Caches a copy of `value`, charged like any copy (an unaffordable one is not kept).
    fn keep(
        &self,
        cache: &RefCell<HashMap<String, Value>>,
        name: &str,
        value: &Value,
        use_span: Span,
    ) {
        let kept = if self.charge_copy(value, use_span) {
            value.clone()
        } else {
            Value::unknown(budget::SPENT, use_span)
        };
        cache.borrow_mut().insert(name.to_string(), kept);
    }

    /// Evaluates the definition of `key` (`local.x`, `var.x`), or reports a cycle through it
    /// and returns `None`.
    fn evaluate_once(&self, key: &str, use_span: Span, f: impl FnOnce() -> Value) -> Option<Value> {
        self.evaluating
            .run(key, f)
            .map_err(|cycle| {
                self.notices.borrow_mut().push(Notice {
                    span: Some(use_span),
                    message: format!(
                        "values form a cycle ({cycle}); Terraform rejects this configuration and its values are unknown here"
                    ),
                    kind: crate::parse::NoticeKind::Info,
                });
            })
            .ok()
    }

    fn local(&self, name: &str, use_span: Span) -> Value {
        if let Some(cached) = self.cached(&self.local_cache, name, use_span) {
            return resolved(cached, format!("local.{name}"), use_span);
        }
        let Some(definition) = self.locals.get(name) else {
            return Value::unknown(format!("undeclared local.{name}"), use_span);
        };
        let key = format!("local.{name}");
        let Some(value) = self.evaluate_once(&key, use_span, || match definition.expr {
            Some(expr) => self.eval(definition.file, expr),
            None => Value::unknown(format!("local.{name} has no value"), use_span),
        }) else {
            return Value::unknown(format!("local.{name} refers to itself"), use_span);
        };
        self.keep(&self.local_cache, name, &value, use_span);
        resolved(value, format!("local.{name}"), use_span)
    }
}

/// `(key, value)` of a known list (index, item) or object (name, value), as `for`
/// expressions and `dynamic` blocks iterate them.
pub fn key_value_pairs(collection: &Value) -> Option<Vec<(Value, Value)>> {
    Some(match &collection.data {
        Data::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                (
                    Value::literal(Data::Number(i as f64), item.span),
                    item.clone(),
                )
            })
            .collect(),
        Data::Object(map) => map
            .iter()
            .map(|(k, v)| (Value::literal(Data::String(k.clone()), v.span), v.clone()))
            .collect(),
        _ => return None,
    })
}

/// Re-anchors a value defined elsewhere at its use site, recording the hop.
fn resolved(value: Value, via: String, use_span: Span) -> Value {
    let definition = value.span;
    value.resolved_at(via, definition, use_span)
}

fn combine(data: Data, parts: &[Value], span: Span) -> Value {
    Value::combined(data, parts, span)
}

/// A list made of `items`, moved in (not copied), with their provenance.
fn combine_owned(make: fn(Vec<Value>) -> Data, items: Vec<Value>, span: Span) -> Value {
    let mut hops = Hops::default();
    for item in &items {
        hops.add(item);
    }
    hops.build(make(items), span)
}

/// Why a value is "unknown" when Terraform would reject the expression: `try` moves on to
/// its next argument and `can` is false, as they are for errors.
const TERRAFORM_ERROR: &str =
    "an expression Terraform rejects (an attribute of null, length(null))";

/// Nothing in `value` is unknown (it may hold links to resources and secrets).
fn without_unknowns(value: &Value) -> bool {
    match &value.data {
        Data::Unknown(_) | Data::OneOf(_) => false,
        Data::List(items) => items.iter().all(without_unknowns),
        Data::Object(map) => map.values().all(without_unknowns),
        _ => true,
    }
}

fn is_terraform_error(value: &Value) -> bool {
    matches!(&value.data, Data::Unknown(reason) if reason == TERRAFORM_ERROR)
}

fn apply_operators(
    scope: &Scope,
    file: FileId,
    mut value: Value,
    operators: &[hcl_edit::Decorated<TraversalOperator>],
    span: Span,
) -> Value {
    for (position, op) in operators.iter().enumerate() {
        if matches!(
            op.value(),
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)
        ) {
            // `list[*].attr`: the rest of the traversal applies to every element; a single
            // value is a one-element list and null an empty one, as in Terraform.
            let rest = &operators[position + 1..];
            let items: Vec<Value> = match &value.data {
                Data::List(items) => items.to_vec(),
                Data::Null => Vec::new(),
                Data::Unknown(_) | Data::Secret(_) => return Value { span, ..value },
                _ => vec![value.clone()],
            };
            let mapped: Vec<Value> = items
                .into_iter()
                .map(|item| apply_operators(scope, file, item, rest, span))
                .collect();
            return combine(Data::List(mapped.clone().into()), &mapped, span);
        }
        let next = match (op.value(), &value.data) {
            (_, Data::Unknown(_) | Data::Secret(_)) => return Value { span, ..value },
            // An attribute or element of null is an error in Terraform (what `try` skips).
            (
                TraversalOperator::GetAttr(_)
                | TraversalOperator::Index(_)
                | TraversalOperator::LegacyIndex(_),
                Data::Null,
            ) => return Value::unknown(TERRAFORM_ERROR, span),
            (TraversalOperator::GetAttr(name), Data::Object(map)) => {
                map.get(name.as_str()).cloned()
            }
            (TraversalOperator::Index(index), _) => {
                let index = scope.eval(file, index);
                index_value(&value, &index)
            }
            (TraversalOperator::LegacyIndex(i), Data::List(items)) => {
                items.get(*i.value() as usize).cloned()
            }
            _ => None,
        };
        match next {
            // A literal part written in another file (an element of a caller's argument,
            // read as `each.value.x` in the module) keeps where it was written as a hop:
            // that is where the fix is when the module is not the user's own.
            Some(next)
                if matches!(value.provenance, Provenance::Literal)
                    && matches!(next.provenance, Provenance::Literal)
                    && next.span.file != span.file =>
            {
                let hop = crate::ir::Hop {
                    via: "the value written here".to_string(),
                    span: next.span,
                };
                value = Value {
                    provenance: Provenance::resolved(vec![hop]),
                    ..next
                };
            }
            // A part of a literal collection keeps its own provenance (a module's output
            // keeps the hops into the module); a part of a resolved value, the whole's.
            Some(next) if matches!(value.provenance, Provenance::Literal) => value = next,
            Some(next) => {
                let provenance = match (&value.provenance, next.provenance) {
                    // Both hops count: how the whole was reached, then where the part was
                    // written (an `optional()` default of the variable's type).
                    (
                        Provenance::Resolved { chain: outer },
                        Provenance::Resolved { chain: inner },
                    ) => Provenance::resolved(outer.iter().cloned().chain(inner).collect()),
                    (outer, _) => outer.clone(),
                };
                value = Value { provenance, ..next };
            }
            None => return Value::unknown("index or attribute not known", span),
        }
    }
    value.span = span;
    value
}

fn index_value(value: &Value, index: &Value) -> Option<Value> {
    match (&value.data, &index.data) {
        (Data::List(items), _) => {
            let i = index.as_number()?;
            if i < 0.0 || i.fract() != 0.0 {
                return None;
            }
            items.get(i as usize).cloned()
        }
        (Data::Object(map), Data::String(key)) => map.get(key).cloned(),
        _ => None,
    }
}
