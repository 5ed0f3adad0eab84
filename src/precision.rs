//! Runs that stop at a target precision. `--precision NODE.METRIC=HALF_WIDTH` (several allowed;
//! all must hold) replaces a guess at `--runs` by what the user wants: the 95 % interval of an
//! estimate no wider than ± HALF_WIDTH, in the metric's unit. Runs are played in waves of
//! [`WAVE_RUNS`] and the rule is checked after each wave on the statistics of every run so far
//! (integer sums), so the number of runs, and every output, is the same for any thread count;
//! `--runs` becomes the cap.
//!
//! `run` bounds the intervals summary.csv reports; `compare` bounds the paired intervals of
//! each scenario's difference to the first, as comparison.csv reports them.

use crate::sim::Batch;
use crate::stats::{Accumulator, Metric as Paired};
use serde::{Deserialize, Serialize};

/// Runs per wave: the rule is checked after every wave.
pub const WAVE_RUNS: u64 = 1000;

/// A quantity whose interval a target bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    PShortage,
    FirstShortageDay,
    UnmetM3,
    DeliveredM3,
    LostM3,
}

impl Metric {
    pub const ALL: [(Metric, &'static str); 5] = [
        (Metric::PShortage, "p_shortage"),
        (Metric::FirstShortageDay, "first_shortage_day"),
        (Metric::UnmetM3, "unmet_m3"),
        (Metric::DeliveredM3, "delivered_m3"),
        (Metric::LostM3, "lost_m3"),
    ];

    fn name(self) -> &'static str {
        Metric::ALL.iter().find(|(m, _)| *m == self).map_or("", |(_, n)| n)
    }

    fn paired(self) -> Paired {
        match self {
            Metric::PShortage => Paired::Shortage,
            Metric::FirstShortageDay => Paired::FirstDay,
            Metric::UnmetM3 => Paired::Unmet,
            Metric::DeliveredM3 => Paired::Delivered,
            Metric::LostM3 => Paired::Lost,
        }
    }
}

/// A bad `--precision`: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("--precision {text}: {message}")]
pub struct PrecisionError {
    pub text: String,
    pub message: String,
}

/// One target: the 95 % half-width of `metric` at demand `demand` (of the first scenario) at
/// most `half_width`.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    node: String,
    demand: usize,
    metric: Metric,
    half_width: f64,
}

/// Every target of a command line, resolved against the demand nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    targets: Vec<Target>,
}

/// What the rule found: recorded in meta.toml (or compare.toml) and printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Precision {
    /// Whether every target held when the runs stopped.
    pub met: bool,
    /// The most runs allowed (`--runs`, else the scenario's runs).
    pub runs_cap: u64,
    pub wave_runs: u64,
    pub targets: Vec<TargetRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRecord {
    /// `NODE.METRIC`.
    pub target: String,
    pub half_width: f64,
    /// The half-width reached (rounded to 1/1000); absent while it is undefined (the first
    /// shortage day with fewer than two runs short).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reached: Option<f64>,
    pub met: bool,
}

impl Rule {
    /// Parses `NODE.METRIC=HALF_WIDTH` targets; `demands[m]` are the demand node ids of scenario
    /// m (one scenario for `run`). Each node must be a demand of the first scenario and, when
    /// there are several, of another one too (the differences are what is bounded).
    pub fn new(texts: &[String], demands: &[Vec<String>]) -> Result<Rule, PrecisionError> {
        let first = demands.first().map(Vec::as_slice).unwrap_or_default();
        let mut targets = Vec::new();
        for text in texts {
            let bad = |message: String| PrecisionError { text: text.clone(), message };
            let expected = "expected NODE.METRIC=HALF_WIDTH, such as bamako.unmet_m3=500";
            let (key, value) = text.split_once('=').ok_or_else(|| bad(format!("no `=`; {expected}")))?;
            let (node, metric) = key.rsplit_once('.').ok_or_else(|| bad(format!("no `.` in `{key}`; {expected}")))?;
            let metric = Metric::ALL.iter().find(|(_, n)| *n == metric).map(|(m, _)| *m).ok_or_else(|| {
                let names: Vec<&str> = Metric::ALL.iter().map(|(_, n)| *n).collect();
                bad(format!("unknown metric `{metric}` (expected one of {})", names.join(", ")))
            })?;
            let demand = first.iter().position(|d| d == node).ok_or_else(|| {
                bad(format!("`{node}` is not a demand node of the scenario (demand nodes: {})", first.join(", ")))
            })?;
            if demands.len() > 1 && !demands[1..].iter().any(|ds| ds.iter().any(|d| d == node)) {
                return Err(bad(format!(
                    "no other scenario has a demand at `{node}`: there is no difference to bound"
                )));
            }
            let half_width = value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v > 0.0)
                .ok_or_else(|| bad(format!("expected a half-width > 0 in the metric's unit, found `{value}`")))?;
            targets.push(Target { node: node.to_string(), demand, metric, half_width });
        }
        Ok(Rule { targets })
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Each target's half-width on the statistics so far: of the first scenario's estimate
    /// with one scenario, of the widest difference to the first with several.
    pub fn reached(&self, batch: &Batch) -> Vec<Option<f64>> {
        self.targets
            .iter()
            .map(|t| if batch.accs.len() > 1 { difference(batch, t) } else { estimate(&batch.accs[0], t) })
            .collect()
    }

    /// Whether every target holds.
    pub fn holds(&self, batch: &Batch) -> bool {
        self.targets.iter().zip(self.reached(batch)).all(|(t, r)| r.is_some_and(|r| r <= t.half_width))
    }

    /// The record of where the runs stopped.
    pub fn record(&self, batch: &Batch, runs_cap: u64) -> Precision {
        let targets: Vec<TargetRecord> = self
            .targets
            .iter()
            .zip(self.reached(batch))
            .map(|(t, r)| TargetRecord {
                target: format!("{}.{}", t.node, t.metric.name()),
                half_width: t.half_width,
                reached: r.map(|r| (r * 1000.0).round() / 1000.0),
                met: r.is_some_and(|r| r <= t.half_width),
            })
            .collect();
        Precision { met: targets.iter().all(|t| t.met), runs_cap, wave_runs: WAVE_RUNS, targets }
    }
}

/// The half-width of the interval summary.csv gives the estimate.
fn estimate(acc: &Accumulator, t: &Target) -> Option<f64> {
    let s = acc.demand(t.demand);
    match t.metric {
        Metric::PShortage => Some((s.p_shortage_ci.1 - s.p_shortage_ci.0) / 2.0),
        Metric::FirstShortageDay => acc.first_shortage_day_ci95(t.demand),
        Metric::UnmetM3 => Some(s.unmet_m3.ci95),
        Metric::DeliveredM3 => Some(s.delivered_m3.ci95),
        Metric::LostM3 => Some(s.lost_m3.ci95),
    }
    .filter(|_| s.runs > 1)
}

/// The widest paired half-width of the differences to the first scenario.
fn difference(batch: &Batch, t: &Target) -> Option<f64> {
    let widths: Vec<f64> = (1..batch.accs.len())
        .filter_map(|m| batch.paired.difference(m, t.demand, t.metric.paired()))
        .map(|d| d.ci95)
        .collect();
    (batch.accs[0].runs() > 1 && !widths.is_empty()).then(|| widths.iter().copied().fold(0.0, f64::max))
}

impl Precision {
    /// One line per target for the table on stdout.
    pub fn describe(&self, runs: u64) -> String {
        let mut out = format!(
            "precision: {} after {} runs (cap {}, checked every {})\n",
            if self.met { "met" } else { "NOT met" },
            crate::report::thousands(runs),
            crate::report::thousands(self.runs_cap),
            crate::report::thousands(self.wave_runs),
        );
        for t in &self.targets {
            let reached = t.reached.map_or("undefined".to_string(), |r| format!("±{r}"));
            out.push_str(&format!(
                "  {}: {reached} (target ±{}){}\n",
                t.target,
                t.half_width,
                if t.met { "" } else { "  not met" }
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect()
    }

    fn rule(texts: &[&str], demands: &[&[&str]]) -> Result<Rule, String> {
        let texts: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
        Rule::new(&texts, &ids(demands)).map_err(|e| e.to_string())
    }

    #[test]
    fn targets_parse() {
        let r = rule(
            &["bamako.unmet_m3=500", "kayes.first_shortage_day=1", "bamako.p_shortage=0.01"],
            &[&["kayes", "bamako"]],
        )
        .unwrap();
        assert_eq!(r.targets.len(), 3);
        assert_eq!((r.targets[0].demand, r.targets[0].metric, r.targets[0].half_width), (1, Metric::UnmetM3, 500.0));
        assert_eq!(r.targets[1].metric, Metric::FirstShortageDay);
    }

    #[test]
    fn bad_targets_name_the_flag_and_say_why() {
        let demands: &[&[&str]] = &[&["bamako"]];
        for (bad, why) in [
            ("bamako.unmet_m3", "no `=`"),
            ("unmet_m3=5", "no `.`"),
            ("bamako.unmet=5", "unknown metric `unmet`"),
            ("timbuktu.unmet_m3=5", "`timbuktu` is not a demand node of the scenario (demand nodes: bamako)"),
            ("bamako.unmet_m3=0", "expected a half-width > 0"),
            ("bamako.unmet_m3=-3", "expected a half-width > 0"),
            ("bamako.unmet_m3=nan", "expected a half-width > 0"),
            ("bamako.unmet_m3=x", "expected a half-width > 0"),
        ] {
            let e = rule(&[bad], demands).unwrap_err();
            assert!(e.starts_with(&format!("--precision {bad}: ")) && e.contains(why), "{bad}: {e}");
        }
        let e = rule(&["kayes.p_shortage=0.1"], &[&["kayes"], &["bamako"]]).unwrap_err();
        assert!(e.contains("no other scenario has a demand at `kayes`"), "{e}");
    }
}
