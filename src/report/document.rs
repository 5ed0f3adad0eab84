//! The report of a run as a document — headings, paragraphs, lists, tables, figures and a
//! provenance block — built once from an output folder and rendered to HTML and Markdown.
//! The scenario is told in plain words from the scenario.toml copied into the folder; days are
//! named by date where the folder has a start date. (Comparisons, sweeps and critical-site
//! searches have their own reports, in `folder_documents`.)

use super::{OutputData, Provenance, thousands};
use crate::calendar::Calendar;
use crate::report::charts::pct;
use std::collections::HashMap;
use toml::{Table, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A chart: its file stem (`stem.svg`, `stem.png`) and caption.
    Figure {
        stem: String,
        caption: String,
    },
    Provenance(Vec<(String, String)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

pub(super) fn m3(v: f64) -> String {
    format!("{} m³", thousands(v.max(0.0).round() as u64))
}

/// A number with at most two decimals, trailing zeros dropped: 0.25, 1.5, 10.
pub(super) fn days(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// "1 day", "2.5 days".
fn day_count(v: f64) -> String {
    format!("{} day{}", days(v), if v == 1.0 { "" } else { "s" })
}

/// A day by date and number ("4 Oct 2025 (day 30)") where the calendar has a start date and
/// the day is whole; else "day 30" ("day 2.5").
pub(super) fn when(cal: Calendar, day: f64) -> String {
    match cal.date(day as i64) {
        Some(d) if day.fract() == 0.0 => format!("{} (day {})", d.long_label(), days(day)),
        _ => format!("day {}", days(day)),
    }
}

/// Builds the report of an output folder: `scenario` is its scenario.toml, `charts` the stems
/// of the charts in it, `provenance` how the run was made (if recorded).
pub fn run_document(
    data: &OutputData,
    scenario: &Table,
    charts: &[String],
    provenance: Option<&Provenance>,
) -> Document {
    let meta = &data.meta;
    let cal = data.calendar();
    let names: HashMap<&str, &str> = data.nodes.iter().map(|n| (n.id.as_str(), n.name.as_str())).collect();
    let name = |id: &str| names.get(id).copied().unwrap_or(id).to_string();
    let site = |v: &Value| match v {
        Value::String(id) => name(id),
        Value::Array(a) => a.iter().filter_map(Value::as_str).map(&name).collect::<Vec<_>>().join("–"),
        _ => String::new(),
    };
    let num = |t: &Table, k: &str| t.get(k).and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
    // A day key: a number, or a date (TOML date or "YYYY-MM-DD") counted from the start date.
    let day = |t: &Table, k: &str| {
        num(t, k).or_else(|| {
            let text = match t.get(k)? {
                Value::Datetime(d) => d.to_string(),
                Value::String(s) => s.clone(),
                _ => return None,
            };
            Some(crate::calendar::Date::parse(&text)?.days_since(cal.start?) as f64)
        })
    };
    let entries = |k: &str| scenario.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
    let horizon = f64::from(meta.horizon_days);
    let mut b = Vec::new();

    b.push(Block::Paragraph(format!(
        "{} {} runs of {} days, seed {}, simulated by corridor {}. Every figure below is a mean or a share over \
         the runs, with its 95 % confidence interval where one applies.",
        if meta.description.is_empty() {
            String::new()
        } else {
            format!("{}.", meta.description.trim_end_matches('.'))
        },
        thousands(meta.runs),
        meta.horizon_days,
        meta.seed,
        meta.corridor_version
    )));

    b.push(Block::Heading("Key numbers".into()));
    let mut sentences = Vec::new();
    for d in &data.demands {
        if d.p_shortage > 0.0 {
            sentences.push(format!(
                "{} runs short in {} of runs (95 % CI {} to {}){}; {} of its demand goes unmet (± {}) and {} bound for it is lost on the way (± {}).",
                d.name,
                pct(d.p_shortage),
                pct(d.p_shortage_ci.0),
                pct(d.p_shortage_ci.1),
                d.first_shortage_day_p50.map_or(String::new(), |f| format!(", from {} in the median run", when(cal, f64::from(f)))),
                m3(d.unmet_mean),
                m3(d.unmet_ci95),
                m3(d.lost_mean),
                m3(d.lost_ci95)
            ));
        } else {
            sentences.push(format!(
                "{} does not run short in any run (95 % CI 0 to {}); {} bound for it is lost on the way.",
                d.name,
                pct(d.p_shortage_ci.1),
                m3(d.lost_mean)
            ));
        }
    }
    b.push(Block::List(sentences));
    b.push(Block::Table {
        header: [
            "city",
            "P(shortage)",
            "95 % CI",
            "first short day (median)",
            "unmet m³ (± 95 %)",
            "delivered m³",
            "lost m³ (± 95 %)",
        ]
        .map(String::from)
        .to_vec(),
        rows: data
            .demands
            .iter()
            .map(|d| {
                vec![
                    d.name.clone(),
                    pct(d.p_shortage),
                    format!("{} to {}", pct(d.p_shortage_ci.0), pct(d.p_shortage_ci.1)),
                    d.first_shortage_day_p50.map_or("–".into(), |f| match cal.date(i64::from(f)) {
                        Some(date) => format!("{f} ({})", date.long_label()),
                        None => f.to_string(),
                    }),
                    format!("{} ± {}", thousands(d.unmet_mean.round() as u64), thousands(d.unmet_ci95.round() as u64)),
                    thousands(d.delivered_mean.round() as u64),
                    format!("{} ± {}", thousands(d.lost_mean.round() as u64), thousands(d.lost_ci95.round() as u64)),
                ]
            })
            .collect(),
    });

    if let Some(h) = &data.hindcast {
        b.extend(super::hindcast_document::observations_section(data, h));
    }
    b.push(Block::Heading("The scenario".into()));
    let demand: Vec<String> = entries("demand")
        .iter()
        .filter_map(Value::as_table)
        .map(|t| {
            let node = t.get("node").map(&site).unwrap_or_default();
            let c = num(t, "consumption_m3_per_day").unwrap_or(0.0);
            let s = num(t, "initial_stock_m3").unwrap_or(0.0);
            let mut text = format!(
                "{node} uses {} a day and starts with {} ({} days of cover)",
                m3(c),
                m3(s),
                days(if c > 0.0 { s / c } else { 0.0 })
            );
            if let (Some(f), Some(below)) = (num(t, "rationing_factor"), num(t, "rationing_below_days")) {
                text += &format!("; it rations to {:.0} % of its use under {} days of cover", 100.0 * f, days(below));
            }
            if let Some(r) = num(t, "reserve_m3") {
                text += &format!(
                    "; a reserve of {} is released when it falls to {} days of cover",
                    m3(r),
                    days(num(t, "reserve_release_below_days").unwrap_or(0.0))
                );
            }
            text + "."
        })
        .collect();
    b.push(Block::Paragraph("Cities that consume fuel:".into()));
    b.push(Block::List(demand));
    let supplies: Vec<String> = entries("supply")
        .iter()
        .filter_map(Value::as_table)
        .map(|t| {
            let rate = num(t, "convoys_per_day").unwrap_or(0.0);
            let trucks = num(t, "trucks_per_convoy").unwrap_or(0.0);
            let truck = num(t, "truck_m3").unwrap_or(0.0);
            let mut text = format!(
                "{} to {}: {} convoys a day of {} trucks of {} ({} a day)",
                t.get("from").map(&site).unwrap_or_default(),
                t.get("to").map(&site).unwrap_or_default(),
                days(rate),
                days(trucks),
                m3(truck),
                m3(rate * trucks * truck)
            );
            let (start, end) = (day(t, "start_day").unwrap_or(0.0), day(t, "end_day").unwrap_or(horizon));
            if start > 0.0 || end < horizon {
                text += &format!(", from {} to {}", when(cal, start), when(cal, end));
            }
            if t.get("escorted").and_then(Value::as_bool) == Some(true) {
                text += ", escorted";
            }
            if let Some(to) = t.get("shift_to") {
                text += &format!(
                    "; when its road is known blocked, {:.0} % of its convoys leave from {} instead",
                    100.0 * num(t, "shift_share").unwrap_or(1.0),
                    site(to)
                );
            }
            text + "."
        })
        .collect();
    b.push(Block::Paragraph("Fuel sources (convoy streams):".into()));
    b.push(Block::List(supplies));
    let mut threats: Vec<String> = entries("blockade")
        .iter()
        .filter_map(Value::as_table)
        .map(|t| {
            let at = t.get("node").or(t.get("edge")).map(&site).unwrap_or_default();
            let (start, end) = (day(t, "start_day").unwrap_or(0.0), day(t, "end_day").unwrap_or(horizon));
            format!(
                "Blockade {} at {at}, from {} to {}: {:.0} % of passing convoys attacked{}; each truck of an attacked convoy lost with probability {:.0} %{}.",
                t.get("name").and_then(Value::as_str).unwrap_or_default(),
                when(cal, start),
                when(cal, end.min(horizon)),
                100.0 * num(t, "attack_prob").unwrap_or(0.0),
                num(t, "escort_factor").filter(|f| *f < 1.0).map_or(String::new(), |f| format!(" ({:.0} % of escorted ones)", 100.0 * f * num(t, "attack_prob").unwrap_or(0.0))),
                100.0 * num(t, "truck_loss_prob").unwrap_or(1.0),
                num(t, "hold_days").filter(|h| *h > 0.0).map_or(String::new(), |h| format!(", survivors held {}", day_count(h)))
            )
        })
        .collect();
    threats.extend(entries("attacker").iter().filter_map(Value::as_table).map(|t| {
        let candidates: Vec<String> = t.get("candidates").and_then(Value::as_array).map(|a| a.iter().map(&site).collect()).unwrap_or_default();
        let policy = t.get("policy").and_then(Value::as_str).unwrap_or("static");
        let period = num(t, "period_days").map_or(String::new(), |p| format!(" every {} days", days(p)));
        format!(
            "Attacker {} ({policy}{}) holds {} of {} at a time, attacking {:.0} % of passing convoys and destroying {:.0} % of an attacked convoy's trucks.",
            t.get("name").and_then(Value::as_str).unwrap_or_default(),
            if policy == "static" { String::new() } else { period },
            num(t, "sites").unwrap_or(1.0),
            candidates.join(", "),
            100.0 * num(t, "attack_prob").unwrap_or(0.0),
            100.0 * num(t, "truck_loss_prob").unwrap_or(1.0)
        )
    }));
    b.push(Block::Paragraph("Blockades and attackers:".into()));
    b.push(Block::List(if threats.is_empty() { vec!["None.".into()] } else { threats }));
    let routing = scenario.get("routing").and_then(Value::as_table);
    let policy = routing.and_then(|r| r.get("policy")).and_then(Value::as_str).unwrap_or("static");
    let mut policy_text = if policy == "avoid" {
        format!(
            "Convoys route around the blockades they know of ({} days after each begins), else take their usual road.",
            days(routing.and_then(|r| num(r, "detection_delay_days")).unwrap_or(0.0))
        )
    } else {
        "Convoys take their usual (least-cost) road whatever the blockades.".to_string()
    };
    if let Some(e) = scenario.get("escorts").and_then(Value::as_table) {
        policy_text += &format!(
            " A pool of {} escort units escorts convoys while a unit is free.",
            num(e, "units").unwrap_or(0.0)
        );
    }
    b.push(Block::Paragraph(format!("Policy: {policy_text}")));

    b.push(Block::Heading("Charts".into()));
    for stem in charts {
        let caption = caption(stem, data);
        b.push(Block::Figure { stem: stem.clone(), caption });
    }

    b.push(Block::Heading("Provenance".into()));
    let mut p = vec![
        ("corridor version".to_string(), meta.corridor_version.clone()),
        ("scenario".into(), format!("{} ({})", meta.name, meta.scenario_file)),
        ("scenario SHA-256".into(), meta.scenario_sha256.clone()),
        ("network".into(), meta.network.clone()),
        ("network SHA-256".into(), meta.network_sha256.clone()),
        ("seed".into(), meta.seed.to_string()),
        ("runs".into(), thousands(meta.runs)),
        ("horizon".into(), format!("{} days", meta.horizon_days)),
    ];
    if let Some(start) = cal.start {
        p.push(("day 0".into(), start.long_label()));
    }
    match provenance {
        Some(pr) => {
            p.push(("threads".into(), pr.threads.to_string()));
            p.push(("date".into(), pr.date.clone()));
            p.push(("simulation time".into(), format!("{:.2} s", pr.simulation_seconds)));
            p.push(("command".into(), pr.command.clone()));
        }
        None => p.push(("threads, date".into(), "not recorded (no provenance.toml)".into())),
    }
    b.push(Block::Provenance(p));
    let title = match data.hindcast {
        Some(_) => format!("Hindcast of {} against what was observed", meta.name),
        None => format!("Fuel supply under blockade: {}", meta.name),
    };
    Document { title, blocks: b }
}

/// A caption for a chart, from its stem.
fn caption(stem: &str, data: &OutputData) -> String {
    let city = |id: &str| data.demands.iter().find(|d| d.id == id).map_or(id.to_string(), |d| d.name.clone());
    if let Some(caption) = super::hindcast_document::caption(stem, data) {
        caption
    } else if let Some(id) = stem.strip_prefix("stock_") {
        format!(
            "Fuel stock at {} across runs: median, middle half and 90 % of runs, hatched while a blockade on a route to it is active; under it, the share of runs short on each day, and the blockades on its routes.",
            city(id)
        )
    } else if let Some(id) = stem.strip_prefix("fuel_") {
        format!("Fuel needed at {} against fuel available (initial stock and mean deliveries), cumulated.", city(id))
    } else {
        match stem {
            "shortage_probability" => "Share of runs in which each city's first shortage has begun, by day.".into(),
            "first_shortage_day" => "Day on which the first shortage begins, share of runs.".into(),
            "road_losses" => "Trucks lost on each road, mean per run.".into(),
            "network_map" => {
                "The network: road width by truck flow, blockades marked, cities sized by P(shortage).".into()
            }
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{day_count, days};

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(days(0.25), "0.25");
        assert_eq!(days(1.5), "1.5");
        assert_eq!(days(10.0), "10");
        assert_eq!(day_count(1.0), "1 day");
        assert_eq!(day_count(2.0), "2 days");
    }
}
