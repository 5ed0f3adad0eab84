//! The TOML parser's errors in the words of the other scenario errors: the key that failed, as
//! `supply.dakar-bamako.convoys_per_day` (entries named by their `name`, or `node` for
//! `[[demand]]` and `[[origin]]`), and what was expected and found in plain words. Duplicate
//! keys and tables are named with the line of their first occurrence, `[demand]` written for
//! `[[demand]]` says so, and an unknown key gets the closest known key of its table. Also the
//! scenario text itself: read with a size limit, invalid UTF-8 reported at its line and byte,
//! and the place of a key found again for errors raised after validation (limits).

use super::file::ScenarioFile;
use super::validate::{Context, ScenarioError};
use crate::input::clip;
use serde_path_to_error::Segment;
use std::path::Path;

/// Tables that are written `[[name]]`, one per entry, and the key that names an entry.
const ARRAY_TABLES: &[(&str, &str)] = &[
    ("demand", "node"),
    ("supply", "name"),
    ("blockade", "name"),
    ("attacker", "name"),
    ("origin", "node"),
    ("convoy", "name"),
];

/// Where the parser failed: a byte range of the text, the key (when known) and what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ParseError {
    pub span: std::ops::Range<usize>,
    pub field: Option<String>,
    pub message: String,
}

/// Parses scenario text into the file structs.
pub(super) fn parse_file(text: &str) -> Result<ScenarioFile, ParseError> {
    let de = toml::Deserializer::parse(text).map_err(|e| syntax_error(text, &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let span = e.inner().span().unwrap_or(0..0);
        let doc: toml::Table = toml::from_str(text).unwrap_or_default();
        let (keys, items) = key_path(e.path(), &doc);
        let raw = e.inner().message().trim();
        let mut message = crate::input::clip_quoted(&translate(raw, &keys));
        if let Some(i) = items.first() {
            message = format!("item {}: {message}", i + 1);
        }
        let mut keys = keys;
        if let Some(missing) = raw.strip_prefix("missing field ") {
            keys.push(clip(missing.trim_matches('`')));
        }
        ParseError { span, field: Some(keys.join(".")).filter(|f| !f.is_empty()), message }
    })
}

/// The path of the failing key with entries of `[[tables]]` named, and the indexes of list
/// items below the key.
fn key_path(path: &serde_path_to_error::Path, doc: &toml::Table) -> (Vec<String>, Vec<usize>) {
    let (mut keys, mut items) = (Vec::<String>::new(), Vec::new());
    let mut table: Option<&str> = None;
    for segment in path {
        match segment {
            Segment::Map { key } if key.starts_with("$__serde_spanned_private") => {}
            Segment::Map { key } => {
                keys.push(clip(key));
                table = (keys.len() == 1).then_some(key.as_str());
            }
            Segment::Seq { index } => match table.take() {
                Some(t) => keys.push(entry_name(doc, t, *index)),
                None => items.push(*index),
            },
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    (keys, items)
}

/// The name of entry `index` of `[[table]]`, or `#n` (counted from 1) when it has none.
fn entry_name(doc: &toml::Table, table: &str, index: usize) -> String {
    let by = ARRAY_TABLES.iter().find(|(t, _)| *t == table).map_or("name", |(_, by)| by);
    let entry = doc.get(table).and_then(|v| v.as_array()).and_then(|a| a.get(index));
    match entry.and_then(|e| e.get(by)).and_then(|n| n.as_str()) {
        Some(name) => clip(name),
        None => format!("#{}", index + 1),
    }
}

/// Where a key of the table at `keys` is: "in [simulation]", "in [[demand]]", "at the top level".
fn place(keys: &[String]) -> String {
    match keys.first().map(String::as_str) {
        None => "at the top level".to_string(),
        Some(t) if ARRAY_TABLES.iter().any(|(a, _)| *a == t) => format!("in [[{t}]]"),
        Some(t) => format!("in [{t}]"),
    }
}

/// serde's message for the key at `keys`, in plain words.
fn translate(message: &str, keys: &[String]) -> String {
    let last = keys.last().map(String::as_str).unwrap_or("");
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, allowed) = split_allowed(rest);
        let table = &keys[..keys.len().saturating_sub(1)];
        return format!("unknown key {}{}", place(table), suggestion(name, &allowed, "key"));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, allowed) = split_allowed(rest);
        let listed: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        let hint = suggestion(name, &allowed, "").split(" (").next().unwrap_or_default().to_string();
        return format!("expected one of {}, found \"{}\"{hint}", listed.join(", "), name.trim_matches('`'));
    }
    if message.starts_with("missing field ") {
        return format!("missing: a key {} that is required", place(keys));
    }
    if message.starts_with("wanted string or table") || message.starts_with("wanted exactly 1 element") {
        // An enum key given a value of another kind.
        let words = match keys.first().map(String::as_str) {
            Some("routing") => "\"static\" or \"avoid\"",
            Some("attacker") => "\"static\", \"rotating\" or \"adaptive\"",
            _ => "one of the words listed in docs/formats.md",
        };
        return format!("expected the string {words}");
    }
    if message.starts_with("data did not match any variant of untagged enum SiteFile") {
        return "expected a node id such as \"nioro\" or a road such as [\"kayes\", \"diema\"]".to_string();
    }
    let found_expected =
        message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: ")).and_then(|rest| {
            let at = rest.rfind(", expected ")?;
            Some((&rest[..at], &rest[at + ", expected ".len()..]))
        });
    if let Some((found, expected)) = found_expected {
        let single = ARRAY_TABLES.iter().find(|(t, _)| keys.len() == 1 && *t == last);
        if let (Some((t, _)), "map") = (single, found) {
            return format!("`[{t}]` should be `[[{t}]]`: each entry is a table of its own, written [[{t}]]");
        }
        return format!("expected {}, found {}", expected_words(expected, last), found_words(found));
    }
    clip(message)
}

/// `` `name`, expected one of `a`, `b` `` → (`` `name` ``, [a, b]).
fn split_allowed(rest: &str) -> (&str, Vec<&str>) {
    let (name, tail) =
        rest.split_once(", expected ").or_else(|| rest.split_once(", there are no ")).unwrap_or((rest, ""));
    let allowed = tail.split('`').skip(1).step_by(2).collect();
    (name, allowed)
}

/// "; did you mean `x`?" for a close match, else the allowed names.
fn suggestion(name: &str, allowed: &[&str], what: &str) -> String {
    let name = name.trim_matches('`');
    let close = allowed
        .iter()
        .map(|a| (strsim::damerau_levenshtein(name, a), *a))
        .filter(|(d, a)| *d <= (a.len() / 3).max(2))
        .min();
    match close {
        Some((_, a)) => format!("; did you mean {a}?"),
        None if allowed.is_empty() => String::new(),
        None => format!(" (expected a {what} among: {})", allowed.join(", ")),
    }
}

fn expected_words(expected: &str, key: &str) -> String {
    match expected {
        "f64" | "f32" => "a number".to_string(),
        "u32" => "a whole number from 0 to 4294967295".to_string(),
        "u64" => "a whole number >= 0".to_string(),
        "i64" | "i32" => "a whole number".to_string(),
        "a boolean" => "true or false".to_string(),
        "a sequence" => match key {
            "edge" => "two node ids such as [\"kayes\", \"diema\"]".to_string(),
            "candidates" => "a list of sites such as [\"nioro\", [\"kayes\", \"diema\"]]".to_string(),
            "supplies" => "a list of supply names such as [\"dakar-bamako\"]".to_string(),
            "via" => "a list of node ids such as [\"kita\"]".to_string(),
            _ => "an array".to_string(),
        },
        e if e.starts_with("struct ") => "a table".to_string(),
        e if e.starts_with("enum ") => "one of the listed words".to_string(),
        e => clip(e),
    }
}

/// serde's `string "x"`, `` integer `5` `` … as "the string \"x\"", "the integer 5" ….
fn found_words(found: &str) -> String {
    let unquote = |s: &str| s.trim_matches('`').to_string();
    if let Some(s) = found.strip_prefix("string ") {
        let inner = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s);
        return format!("the string \"{}\"", clip(inner));
    }
    for (serde, ours) in [("integer ", "the integer"), ("floating point ", "the number"), ("boolean ", "the boolean")] {
        if let Some(v) = found.strip_prefix(serde) {
            return format!("{ours} {}", clip(&unquote(v)));
        }
    }
    match found {
        "sequence" => "an array".to_string(),
        "map" => "a table".to_string(),
        f => clip(f),
    }
}

/// The most bytes of a scenario file (far above any real one): a larger file is refused before
/// it is read.
pub const MAX_SCENARIO_BYTES: u64 = 16 << 20;

/// A scenario file's text: refused above [`MAX_SCENARIO_BYTES`], and where it is not UTF-8,
/// an error at the line and byte of the first invalid byte.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let read = |error| ScenarioError::Read { path: path.to_path_buf(), error };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_SCENARIO_BYTES {
        let message = format!("the file has {size} bytes; a scenario file may have at most {MAX_SCENARIO_BYTES}");
        return Err(ScenarioError::Syntax {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message,
            snippet: String::new(),
        });
    }
    let bytes = std::fs::read(path).map_err(read)?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let message = format!(
            "not valid UTF-8: byte 0x{:02x} at byte {} of the line (byte {} of the file); save the file as UTF-8",
            bytes[at],
            at - line_start + 1,
            at + 1
        );
        // The text before the bad byte is intact: its line may name a key.
        let text = String::from_utf8_lossy(bytes);
        let field = field_at(&text, at).unwrap_or_default();
        Context::new(path, &text).error_at(at..at + 1, &field, message)
    })
}

/// An error about the value at `keys` in the scenario file `path` (read again to find it; at
/// line 1 if it is not there), named `field`: for limits checked after validation, such as
/// the memory a simulation needs.
pub fn error_at_key(path: &Path, keys: &[Step], field: &str, message: String) -> ScenarioError {
    let text = read_text(path).unwrap_or_default();
    let span = value_span(&text, keys).unwrap_or(0..0);
    Context::new(path, &text).error_at(span, field, message)
}

/// A step of a key path: a key of a table, or an entry of an array of tables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where the value at `path` is written in `text`, if it is.
pub(super) fn value_span(text: &str, path: &[Step]) -> Option<std::ops::Range<usize>> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let span = root.span();
    let mut value = toml::Spanned::new(span, toml::de::DeValue::Table(root.into_inner()));
    for step in path {
        let next = match step {
            Step::Key(k) => value.get_ref().get(*k),
            Step::Index(i) => value.get_ref().get(*i),
        }?;
        value = next.clone();
    }
    Some(value.span())
}

/// A parse error of the TOML text itself (before any key is read).
fn syntax_error(text: &str, e: &toml::de::Error) -> ParseError {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().replace('\n', "; ");
    if message.starts_with("duplicate key") {
        return duplicate(text, span);
    }
    ParseError { field: field_at(text, span.start), span, message: crate::input::clip_quoted(&message) }
}

/// The line (0-based) holding byte `offset`, and the lines of the text.
fn line_of(text: &str, offset: usize) -> (usize, Vec<&str>) {
    let lines: Vec<&str> = text.split('\n').collect();
    (text[..offset.min(text.len())].matches('\n').count(), lines)
}

/// A table header on a line: (`name`, whether it is `[[name]]`).
fn header(line: &str) -> Option<(String, bool)> {
    let l = line.trim();
    let l = l.split('#').next().unwrap_or(l).trim();
    if let Some(inner) = l.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
        return Some((inner.trim().to_string(), true));
    }
    l.strip_prefix('[').and_then(|l| l.strip_suffix(']')).map(|inner| (inner.trim().to_string(), false))
}

/// The key of a `key = value` line.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    Some(key.trim().trim_matches('"'))
}

/// A duplicate key or table: which, and where it was first.
fn duplicate(text: &str, span: std::ops::Range<usize>) -> ParseError {
    let (at, lines) = line_of(text, span.start);
    let found = |message: String, field: Option<String>| ParseError { span: span.clone(), field, message };
    if let Some((name, double)) = header(lines[at]) {
        let array = ARRAY_TABLES.iter().any(|(t, _)| *t == name);
        let first = lines[..at].iter().position(|l| header(l).is_some_and(|(n, _)| n == name));
        let shown = clip(&name);
        if array && (!double || first.is_some_and(|f| header(lines[f]).is_some_and(|(_, d)| !d))) {
            let msg =
                format!("`[{shown}]` should be `[[{shown}]]`: each entry is a table of its own, written [[{shown}]]");
            return found(msg, Some(shown));
        }
        let msg = match first {
            Some(f) => format!("duplicate table [{shown}] (first on line {})", f + 1),
            None => format!("duplicate table [{shown}]"),
        };
        return found(msg, Some(shown));
    }
    // A key: its table is the last header above it.
    let key = key_of(lines[at]).unwrap_or_else(|| text.get(span.clone()).unwrap_or("")).to_string();
    let (field, table, start) = key_field(&lines, at, &key);
    let first = (start..at).find(|&l| key_of(lines[l]) == Some(key.as_str()));
    let place = match &table {
        None => "at the top level".to_string(),
        Some((t, true)) => format!("in this [[{}]]", clip(t)),
        Some((t, false)) => format!("in [{}]", clip(t)),
    };
    let msg = match first {
        Some(f) => format!("duplicate key {place} (first on line {})", f + 1),
        None => format!("duplicate key {place}"),
    };
    found(msg, Some(field))
}

/// The key `key` written on line `at` as a field (`supply.dakar-bamako.truck_m3`): with the
/// table above it and the entry's name; also that table and the first line of its body.
fn key_field(lines: &[&str], at: usize, key: &str) -> (String, Option<(String, bool)>, usize) {
    let start = lines[..at].iter().rposition(|l| header(l).is_some()).map_or(0, |h| h + 1);
    let table = if start == 0 { None } else { header(lines[start - 1]) };
    let entry = table.as_ref().and_then(|(t, _)| {
        let by = ARRAY_TABLES.iter().find(|(a, _)| a == t)?.1;
        let line = lines[start..].iter().take_while(|l| header(l).is_none()).find(|l| key_of(l) == Some(by))?;
        let value = line.split_once('=')?.1.trim();
        let name = value.strip_prefix('"')?.strip_suffix('"').filter(|n| is_key(n))?;
        Some(clip(name))
    });
    let field = match (&table, entry) {
        (None, _) => clip(key),
        (Some((t, _)), Some(e)) => format!("{}.{e}.{}", clip(t), clip(key)),
        (Some((t, _)), None) => format!("{}.{}", clip(t), clip(key)),
    };
    (field, table, start)
}

/// The key or table written on the line of byte `offset`, as a field, when the line holds a
/// plain `key =` or a `[table]` header.
pub(super) fn field_at(text: &str, offset: usize) -> Option<String> {
    let (at, lines) = line_of(text, offset);
    let line = lines.get(at)?;
    if let Some((name, _)) = header(line) {
        return Some(clip(&name)).filter(|n| is_key(n));
    }
    let key = line.split(['=', ' ']).next()?.trim();
    is_key(key).then(|| key_field(&lines, at, key).0)
}

/// A bare TOML key (or dotted table name).
fn is_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "name = \"t\"\nnetwork = \"n\"\n[simulation]\nhorizon_days = 30\nruns = 10\nseed = 1\n";

    fn err(text: &str) -> (String, String) {
        let e = parse_file(text).map(|_| ()).unwrap_err();
        let (line, _) = line_of(text, e.span.start);
        (format!("{}:{}", line + 1, e.field.unwrap_or_default()), e.message)
    }

    fn supply(extra: &str) -> String {
        format!(
            "{HEAD}[[supply]]\nname = \"dakar-bamako\"\nfrom = \"a\"\nto = \"b\"\nconvoys_per_day = 1\n\
             trucks_per_convoy = 3\ntruck_m3 = 45\n{extra}"
        )
    }

    #[test]
    fn type_errors_name_the_key_and_say_what_was_found() {
        let text = supply("").replace("convoys_per_day = 1", "convoys_per_day = \"0.20\"");
        assert_eq!(
            err(&text),
            ("11:supply.dakar-bamako.convoys_per_day".into(), "expected a number, found the string \"0.20\"".into())
        );
        let text = supply("").replace("trucks_per_convoy = 3", "trucks_per_convoy = 10000000000");
        assert_eq!(err(&text).1, "expected a whole number from 0 to 4294967295, found the integer 10000000000");
        let text = format!("{HEAD}[[blockade]]\nname = \"k\"\nedge = \"kayes-diema\"\nattack_prob = 1\n");
        assert_eq!(
            err(&text),
            (
                "9:blockade.k.edge".into(),
                "expected two node ids such as [\"kayes\", \"diema\"], found the string \"kayes-diema\"".into()
            )
        );
        let text = format!("{HEAD}[[attacker]]\nname = \"j\"\ncandidates = [\"a\", 5]\nattack_prob = 1\n");
        let (at, msg) = err(&text);
        assert_eq!(at, "9:attacker.j.candidates");
        assert!(msg.starts_with("item 2: expected a node id such as \"nioro\" or a road"), "{msg}");
        // An entry without a name is counted.
        let text = supply("").replace("name = \"dakar-bamako\"\n", "").replace("truck_m3 = 45", "truck_m3 = true");
        assert_eq!(err(&text), ("12:supply.#1.truck_m3".into(), "expected a number, found the boolean true".into()));
        let text = HEAD.replace("seed = 1", "seed = -1");
        assert_eq!(err(&text).1, "expected a whole number >= 0, found the integer -1");
    }

    #[test]
    fn unknown_keys_name_their_table_and_the_closest_key() {
        let text = format!("{HEAD}[[demand]]\nnode = \"bamako\"\nconsumption_m3_per_dya = 1\ninitial_stock_m3 = 1\n");
        assert_eq!(
            err(&text),
            (
                "9:demand.bamako.consumption_m3_per_dya".into(),
                "unknown key in [[demand]]; did you mean consumption_m3_per_day?".into()
            )
        );
        let (at, msg) = err(&HEAD.replace("seed = 1", "seed = 1\nthreads = 4"));
        assert_eq!(at, "7:simulation.threads");
        assert!(msg.starts_with("unknown key in [simulation] (expected a key among: horizon_days, runs"), "{msg}");
        let (at, msg) = err(&format!("bogus = 1\n{HEAD}"));
        assert_eq!(at, "1:bogus");
        assert!(msg.starts_with("unknown key at the top level (expected a key among: name,"), "{msg}");
        let (at, msg) = err(&format!("{HEAD}[[blocade]]\nname = \"k\"\n"));
        assert_eq!(at, "7:blocade");
        assert!(msg.ends_with("did you mean blockade?"), "{msg}");
        let (_, msg) = err(&format!("{HEAD}[routing]\npolicy = \"evade\"\n"));
        assert_eq!(msg, "expected one of \"static\", \"avoid\", found \"evade\"");
        let (_, msg) = err(&format!("{HEAD}[routing]\npolicy = 5\n"));
        assert_eq!(msg, "expected the string \"static\" or \"avoid\"");
        let (_, msg) = err(&format!("{HEAD}[routing]\npolicy = \"avod\"\n"));
        assert!(msg.ends_with("; did you mean avoid?"), "{msg}");
    }

    #[test]
    fn syntax_errors_name_the_key_of_their_line_and_missing_keys_are_named() {
        assert_eq!(
            err(&HEAD.replace("seed = 1", "seed 1")),
            ("6:simulation.seed".into(), "key with no value, expected `=`".into())
        );
        let (at, msg) = err(&supply("").replace("truck_m3 = 45", "truck_m3 = 4 5"));
        assert_eq!(at, "13:supply.dakar-bamako.truck_m3", "{msg}");
        assert_eq!(
            err(&HEAD.replace("runs = 10\n", "")),
            ("3:simulation.runs".into(), "missing: a key in [simulation] that is required".into())
        );
        assert_eq!(err(&HEAD.replace("name = \"t\"\n", "")).0, "1:name");
    }

    #[test]
    fn duplicates_name_the_key_and_the_first_line() {
        assert_eq!(
            err(&HEAD.replace("seed = 1", "seed = 1\nseed = 2")),
            ("7:simulation.seed".into(), "duplicate key in [simulation] (first on line 6)".into())
        );
        let (at, msg) = err(&supply("truck_m3 = 40\n"));
        assert_eq!(at, "14:supply.dakar-bamako.truck_m3");
        assert_eq!(msg, "duplicate key in this [[supply]] (first on line 13)");
        assert_eq!(
            err(&format!("name = \"a\"\nname = \"b\"\n{HEAD}")),
            ("2:name".into(), "duplicate key at the top level (first on line 1)".into())
        );
        let (at, msg) = err(&format!("{HEAD}[simulation]\n"));
        assert_eq!((at.as_str(), msg.as_str()), ("7:simulation", "duplicate table [simulation] (first on line 3)"));
    }

    #[test]
    fn a_single_bracket_array_table_says_so() {
        let d = "node = \"c\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 1\n";
        let expected = "`[demand]` should be `[[demand]]`: each entry is a table of its own, written [[demand]]";
        // One [demand]: a table where a list of tables belongs.
        assert_eq!(err(&format!("{HEAD}[demand]\n{d}")).1, expected);
        // Two of them: a duplicate table.
        assert_eq!(err(&format!("{HEAD}[demand]\n{d}[demand]\n{d}")).1, expected);
        // [demand] after [[demand]] and [[demand]] after [demand].
        assert_eq!(err(&format!("{HEAD}[[demand]]\n{d}[demand]\n{d}")).1, expected);
        assert_eq!(err(&format!("{HEAD}[demand]\n{d}[[demand]]\n{d}")).1, expected);
    }

    #[test]
    fn values_are_found_by_their_key_path() {
        let text = supply("");
        let at = value_span(&text, &[Step::Key("simulation"), Step::Key("horizon_days")]).unwrap();
        assert_eq!(&text[at], "30");
        let at = value_span(&text, &[Step::Key("supply"), Step::Index(0), Step::Key("truck_m3")]).unwrap();
        assert_eq!(&text[at], "45");
        assert_eq!(value_span(&text, &[Step::Key("nope")]), None);
    }

    #[test]
    fn long_values_are_clipped() {
        let long = "x".repeat(100_000);
        let (_, msg) = err(&supply("").replace("convoys_per_day = 1", &format!("convoys_per_day = \"{long}\"")));
        assert!(msg.len() < 200, "{}", msg.len());
        let (at, msg) = err(&format!("{HEAD}{long} = 1\n"));
        assert!(at.len() < 100 && msg.len() < 400, "{} {}", at.len(), msg.len());
    }
}
