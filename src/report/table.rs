//! The short table printed on stdout at the end of a run.

use super::{Results, thousands};
use crate::scenario::DemandId;

/// A probability to three decimals that does not round a rare event to 0 or a near-certain
/// one to 1.
pub(crate) fn prob(p: f64) -> String {
    match p {
        p if p > 0.0 && p < 0.0005 => "<0.001".to_string(),
        p if (0.9995..1.0).contains(&p) => ">0.999".to_string(),
        p => format!("{p:.3}"),
    }
}

/// Per demand node: P(shortage) with its interval, median first and last shortage days (dates
/// when the scenario has a start date), mean shortage spells, unmet demand, fuel delivered and
/// lost (means per run).
pub fn summary_table(r: &Results) -> String {
    let calendar = r.scenario.simulation.calendar();
    let day = |d: Option<u32>| match (d, calendar.date(i64::from(d.unwrap_or(0)))) {
        (None, _) => "-".to_string(),
        (Some(_), Some(date)) => date.long_label(),
        (Some(d), None) => d.to_string(),
    };
    let mut out = format!(
        "{}: {} runs, seed {}, horizon {} days{}\n",
        r.scenario.name,
        thousands(r.runs()),
        r.seed,
        r.scenario.simulation.horizon_days,
        calendar.date(0).map_or(String::new(), |d| format!(
            " ({} to {})",
            d.long_label(),
            d.plus_days(i64::from(r.scenario.simulation.horizon_days) - 1).long_label()
        ))
    );
    let (first, last) = if calendar.start.is_some() {
        ("first short p50", "last short p50")
    } else {
        ("first short day p50", "last short day p50")
    };
    let header = ["node", "P(shortage)", "95% CI", first, last, "spells", "unmet m3", "delivered m3", "lost m3"];
    let mut rows = vec![header.map(String::from).to_vec()];
    for d in 0..r.scenario.demands.len() {
        let s = r.acc.demand(d);
        rows.push(vec![
            r.scenario.demand_node_id(DemandId(d as u32)).to_string(),
            prob(s.p_shortage),
            format!("{}–{}", prob(s.p_shortage_ci.0), prob(s.p_shortage_ci.1)),
            day(s.first_shortage_day_p50),
            day(s.last_shortage_day_p50),
            format!("{:.1}", s.shortage_spells_mean),
            thousands(s.unmet_m3.mean.round() as u64),
            thousands(s.delivered_m3.mean.round() as u64),
            thousands(s.lost_m3.mean.round() as u64),
        ]);
    }
    out.push_str(&align(&rows));
    out
}

/// A number with `decimals` decimals and thousands separators: 12345.6 -> "12,345.6".
pub(crate) fn thousands_f(v: f64, decimals: usize) -> String {
    let s = super::num(v.abs(), decimals);
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let sign = if v < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') { "-" } else { "" };
    let int = int.parse::<u64>().map_or_else(|_| int.to_string(), thousands);
    match frac {
        Some(f) => format!("{sign}{int}.{f}"),
        None => format!("{sign}{int}"),
    }
}

/// A fitted value to about four significant figures, for reading (files keep six decimals):
/// 1596, 304.1, 33.02, 0.431.
pub(crate) fn four_figures(v: f64) -> String {
    match v.abs() {
        a if a >= 1000.0 => format!("{v:.0}"),
        a if a >= 100.0 => format!("{v:.1}"),
        a if a >= 10.0 => format!("{v:.2}"),
        _ => format!("{v:.3}"),
    }
}

/// Rows as text columns: the first left-aligned, the others right-aligned, two spaces apart.
pub(crate) fn align(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> =
        (0..columns).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let pad = " ".repeat(widths[c] - cell.chars().count());
                if c == 0 { format!("{cell}{pad}") } else { format!("{pad}{cell}") }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::prob;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(super::thousands_f(12345.67, 1), "12,345.7");
        assert_eq!(super::thousands_f(0.25, 4), "0.2500");
        assert_eq!(super::thousands_f(-1234.0, 0), "-1,234");
        assert_eq!(super::thousands_f(999.0, 0), "999");
    }

    #[test]
    fn probabilities_keep_rare_events_visible() {
        assert_eq!(prob(0.0), "0.000");
        assert_eq!(prob(0.0001), "<0.001");
        assert_eq!(prob(0.0005), "0.001");
        assert_eq!(prob(0.5), "0.500");
        assert_eq!(prob(0.99961), ">0.999");
        assert_eq!(prob(1.0), "1.000");
    }
}
