//! The short table printed on stdout at the end of a run.

use super::{Results, thousands};
use crate::scenario::DemandId;

/// Per demand node: P(shortage) with its interval, median first-shortage day, fuel delivered
/// and lost (means per run).
pub fn summary_table(r: &Results) -> String {
    let mut out = format!(
        "{}: {} runs, seed {}, horizon {} days\n",
        r.scenario.name,
        thousands(r.runs()),
        r.seed,
        r.scenario.simulation.horizon_days
    );
    let header = [
        "node",
        "P(shortage)",
        "95% CI",
        "first short day p50",
        "delivered m3",
        "lost m3",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    for d in 0..r.scenario.demands.len() {
        let s = r.acc.demand(d);
        rows.push(vec![
            r.scenario.demand_node_id(DemandId(d as u32)).to_string(),
            format!("{:.3}", s.p_shortage),
            format!("{:.3}–{:.3}", s.p_shortage_ci.0, s.p_shortage_ci.1),
            s.first_shortage_day_p50
                .map_or("-".to_string(), |v| v.to_string()),
            thousands(s.delivered_m3.mean.round() as u64),
            thousands(s.lost_m3.mean.round() as u64),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let pad = widths[c] - cell.chars().count();
                if c == 0 {
                    format!("{cell}{}", " ".repeat(pad))
                } else {
                    format!("{}{cell}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}
