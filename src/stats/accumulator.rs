//! The per-scenario accumulator of run outcomes and the summaries read off it.

use super::histogram::Histograms;
use super::moments::{Moments, wilson95};
use crate::network::EdgeId;
use crate::observations::TargetAccs;
use crate::sim::RunOutcome;
use serde::{Deserialize, Serialize};

/// A mean over runs with the half-width of its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub mean: f64,
    pub ci95: f64,
}

impl Estimate {
    fn of(m: &Moments) -> Estimate {
        Estimate { mean: m.mean().unwrap_or(0.0), ci95: m.ci95_half_width() }
    }
}

/// One demand node over all runs (a row of summary.csv).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandSummary {
    pub runs: u64,
    pub runs_with_shortage: u64,
    pub p_shortage: f64,
    /// Wilson 95 % interval of `p_shortage`.
    pub p_shortage_ci: (f64, f64),
    /// Over the runs with a shortage; `None` when no run has one.
    pub first_shortage_day_mean: Option<f64>,
    pub first_shortage_day_p50: Option<u32>,
    pub shortage_days: Estimate,
    pub unmet_m3: Estimate,
    pub delivered_m3: Estimate,
    pub lost_m3: Estimate,
    pub convoys_dispatched_mean: f64,
    pub convoys_attacked: Estimate,
    pub rationed_m3: Estimate,
    pub convoys_shifted_mean: f64,
    pub convoys_deterred_mean: f64,
    pub shortage_spells_mean: f64,
    pub longest_spell_days_mean: f64,
    /// Median last shortage day over the runs with a shortage.
    pub last_shortage_day_p50: Option<u32>,
    pub dispatched_m3: Estimate,
    pub pipeline_m3: Estimate,
    pub in_transit_m3: Estimate,
    pub reserve_released_m3_mean: f64,
}

/// One demand node on one day (a row of daily.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct DailyStats {
    pub stock_mean: f64,
    /// Stock quantiles at 5, 25, 50, 75 and 95 %.
    pub stock_quantiles: [f64; 5],
    pub p_shortage: f64,
    pub p_shortage_by_day: f64,
    /// Mean fuel delivered by the end of the day.
    pub delivered_cum_mean: f64,
}

/// Means per run at an edge or a blockade site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteSummary {
    pub trucks_mean: f64,
    pub attacks_mean: f64,
    pub trucks_lost_mean: f64,
    pub lost_m3: Estimate,
}

pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DemandAcc {
    runs_with_shortage: u64,
    /// Runs whose first shortage fell on each day.
    first_day_counts: Vec<u64>,
    first_day: Moments,
    shortage_days: Moments,
    unmet: Moments,
    delivered: Moments,
    lost: Moments,
    convoys: Moments,
    attacked: Moments,
    rationed: Moments,
    shifted: Moments,
    deterred: Moments,
    spells: Moments,
    longest: Moments,
    /// Runs whose last shortage fell on each day.
    last_day_counts: Vec<u64>,
    dispatched: Moments,
    pipeline: Moments,
    in_transit: Moments,
    reserve_released: Moments,
}

/// The nearest-rank median day of a histogram of days over `n` runs; `None` when `n` is 0.
fn median_day(counts: &[u64], n: u64) -> Option<u32> {
    (n > 0).then(|| {
        let rank = n.div_ceil(2);
        let mut seen = 0;
        counts
            .iter()
            .position(|&c| {
                seen += c;
                seen >= rank
            })
            .unwrap_or(0) as u32
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct SiteAcc {
    trucks: u64,
    attacks: u64,
    trucks_lost: u64,
    lost: Moments,
}

/// Everything kept of the runs seen so far (serialisable whole: a shard's partial file holds it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accumulator {
    runs: u64,
    days: usize,
    demands: Vec<DemandAcc>,
    /// Per (demand, day), demand-major as in [`RunOutcome::stock`]; empty without quantiles.
    stock: Histograms,
    quantiles: bool,
    stock_sum: Vec<Moments>,
    delivered_cum: Vec<Moments>,
    shortage_runs: Vec<u64>,
    /// The roads some route uses, in id order, and their statistics (other roads carry none).
    roads: Vec<EdgeId>,
    edges: Vec<SiteAcc>,
    /// The most trucks that entered each road in one day, over all runs.
    edge_day_max: Vec<u32>,
    blockades: Vec<SiteAcc>,
    /// Per attacker, per candidate.
    attackers: Vec<Vec<SiteAcc>>,
    /// Per attacker, per period, per candidate: runs in which it was held.
    held: Vec<Vec<Vec<u64>>>,
    /// Observations scored run by run (`corridor hindcast`, which is not split into shards).
    #[serde(skip)]
    targets: Option<TargetAccs>,
}

impl Accumulator {
    /// An accumulator for the outcomes of runs shaped like `o`; without `quantiles`, daily
    /// stock quantiles are not kept (they read as NaN), for verbs that play many scenarios at
    /// once and do not chart stocks.
    pub fn shaped_like(o: &RunOutcome, quantiles: bool) -> Accumulator {
        let mut acc = Self::with_quantiles(o.days, o.demand.len(), o.edge_trucks.len(), o.blockades.len(), quantiles);
        acc.roads.clone_from(&o.roads);
        acc.attackers = o.attackers.iter().map(|a| vec![SiteAcc::default(); a.len()]).collect();
        acc.held = o.held.iter().map(|periods| periods.iter().map(|p| vec![0; p.len()]).collect()).collect();
        acc
    }

    fn with_quantiles(days: usize, demands: usize, edges: usize, blockades: usize, quantiles: bool) -> Accumulator {
        let demand = DemandAcc {
            runs_with_shortage: 0,
            first_day_counts: vec![0; days],
            first_day: Moments::default(),
            shortage_days: Moments::default(),
            unmet: Moments::default(),
            delivered: Moments::default(),
            lost: Moments::default(),
            convoys: Moments::default(),
            attacked: Moments::default(),
            rationed: Moments::default(),
            shifted: Moments::default(),
            deterred: Moments::default(),
            spells: Moments::default(),
            longest: Moments::default(),
            last_day_counts: vec![0; days],
            dispatched: Moments::default(),
            pipeline: Moments::default(),
            in_transit: Moments::default(),
            reserve_released: Moments::default(),
        };
        Accumulator {
            runs: 0,
            days,
            demands: vec![demand; demands],
            stock: Histograms::new(if quantiles { days * demands } else { 0 }),
            quantiles,
            stock_sum: vec![Moments::default(); days * demands],
            delivered_cum: vec![Moments::default(); days * demands],
            shortage_runs: vec![0; days * demands],
            roads: Vec::new(),
            edges: vec![SiteAcc::default(); edges],
            edge_day_max: vec![0; edges],
            blockades: vec![SiteAcc::default(); blockades],
            attackers: Vec::new(),
            held: Vec::new(),
            targets: None,
        }
    }

    /// This accumulator, also scoring every run against `targets`.
    pub fn with_targets(mut self, targets: TargetAccs) -> Accumulator {
        self.targets = Some(targets);
        self
    }

    /// The observations' accumulators, when there are targets.
    pub fn targets(&self) -> Option<&TargetAccs> {
        self.targets.as_ref()
    }

    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// The 95 % half-width of demand `d`'s mean first shortage day, over the runs that have
    /// one; `None` below two such runs (what `--precision NODE.first_shortage_day` bounds).
    pub fn first_shortage_day_ci95(&self, d: usize) -> Option<f64> {
        let m = &self.demands[d].first_day;
        (m.count() > 1).then(|| m.ci95_half_width())
    }

    pub fn add(&mut self, o: &RunOutcome) {
        self.runs += 1;
        if let Some(t) = &mut self.targets {
            t.add(o);
        }
        for (acc, r) in self.demands.iter_mut().zip(&o.demand) {
            if let Some(day) = r.first_shortage_day {
                acc.runs_with_shortage += 1;
                acc.first_day_counts[day as usize] += 1;
                acc.first_day.add(f64::from(day));
            }
            if let Some(day) = r.last_shortage_day {
                acc.last_day_counts[day as usize] += 1;
            }
            acc.shortage_days.add(f64::from(r.shortage_days));
            acc.unmet.add(r.unmet_m3);
            acc.delivered.add(r.delivered_m3);
            acc.lost.add(r.lost_m3);
            acc.convoys.add(f64::from(r.convoys_dispatched));
            acc.attacked.add(f64::from(r.convoys_attacked));
            acc.rationed.add(r.rationed_m3);
            acc.shifted.add(f64::from(r.convoys_shifted));
            acc.deterred.add(f64::from(r.convoys_deterred));
            acc.spells.add(f64::from(r.shortage_spells));
            acc.longest.add(f64::from(r.longest_spell_days));
            acc.dispatched.add(r.dispatched_m3);
            acc.pipeline.add(r.pipeline_m3);
            acc.in_transit.add(r.in_transit_m3);
            acc.reserve_released.add(r.reserve_released_m3);
        }
        if self.quantiles {
            self.stock.add_each(&o.stock);
        }
        for (i, (&s, &short)) in o.stock.iter().zip(&o.shortage).enumerate() {
            self.stock_sum[i].add(s);
            self.delivered_cum[i].add(o.delivered_cum[i]);
            self.shortage_runs[i] += u64::from(short);
        }
        for (e, acc) in self.edges.iter_mut().enumerate() {
            acc.trucks += o.edge_trucks[e];
            acc.attacks += u64::from(o.edge_attacks[e]);
            acc.trucks_lost += u64::from(o.edge_trucks_lost[e]);
        }
        for (m, &x) in self.edge_day_max.iter_mut().zip(&o.edge_day_max) {
            *m = (*m).max(x);
        }
        let sites = self.attackers.iter_mut().flatten().zip(o.attackers.iter().flatten());
        for (acc, r) in self.blockades.iter_mut().zip(&o.blockades).chain(sites) {
            acc.attacks += u64::from(r.attacks);
            acc.trucks_lost += u64::from(r.trucks_lost);
            acc.lost.add(r.lost_m3());
        }
        for (count, &held) in self.held.iter_mut().flatten().flatten().zip(o.held.iter().flatten().flatten()) {
            *count += u64::from(held);
        }
    }

    pub fn merge(&mut self, other: &Accumulator) {
        self.runs += other.runs;
        if let (Some(a), Some(b)) = (&mut self.targets, &other.targets) {
            a.merge(b);
        }
        for (a, b) in self.demands.iter_mut().zip(&other.demands) {
            a.runs_with_shortage += b.runs_with_shortage;
            for (x, y) in a
                .first_day_counts
                .iter_mut()
                .zip(&b.first_day_counts)
                .chain(a.last_day_counts.iter_mut().zip(&b.last_day_counts))
            {
                *x += y;
            }
            for (x, y) in [
                (&mut a.first_day, &b.first_day),
                (&mut a.shortage_days, &b.shortage_days),
                (&mut a.unmet, &b.unmet),
                (&mut a.delivered, &b.delivered),
                (&mut a.lost, &b.lost),
                (&mut a.convoys, &b.convoys),
                (&mut a.attacked, &b.attacked),
                (&mut a.rationed, &b.rationed),
                (&mut a.shifted, &b.shifted),
                (&mut a.deterred, &b.deterred),
                (&mut a.spells, &b.spells),
                (&mut a.longest, &b.longest),
                (&mut a.dispatched, &b.dispatched),
                (&mut a.pipeline, &b.pipeline),
                (&mut a.in_transit, &b.in_transit),
                (&mut a.reserve_released, &b.reserve_released),
            ] {
                x.merge(y);
            }
        }
        self.stock.merge(&other.stock);
        for (a, b) in self
            .stock_sum
            .iter_mut()
            .zip(&other.stock_sum)
            .chain(self.delivered_cum.iter_mut().zip(&other.delivered_cum))
        {
            a.merge(b);
        }
        for (a, b) in self.shortage_runs.iter_mut().zip(&other.shortage_runs) {
            *a += b;
        }
        for (a, b) in self.edge_day_max.iter_mut().zip(&other.edge_day_max) {
            *a = (*a).max(*b);
        }
        for (a, b) in self.held.iter_mut().flatten().flatten().zip(other.held.iter().flatten().flatten()) {
            *a += b;
        }
        let attackers = self.attackers.iter_mut().flatten().zip(other.attackers.iter().flatten());
        for (a, b) in self
            .edges
            .iter_mut()
            .zip(&other.edges)
            .chain(self.blockades.iter_mut().zip(&other.blockades))
            .chain(attackers)
        {
            a.trucks += b.trucks;
            a.attacks += b.attacks;
            a.trucks_lost += b.trucks_lost;
            a.lost.merge(&b.lost);
        }
    }

    pub fn demand(&self, d: usize) -> DemandSummary {
        let a = &self.demands[d];
        let n = self.runs.max(1) as f64;
        let mean = |m: &Moments| m.mean().unwrap_or(0.0);
        DemandSummary {
            runs: self.runs,
            runs_with_shortage: a.runs_with_shortage,
            p_shortage: a.runs_with_shortage as f64 / n,
            p_shortage_ci: wilson95(a.runs_with_shortage, self.runs),
            first_shortage_day_mean: a.first_day.mean(),
            first_shortage_day_p50: median_day(&a.first_day_counts, a.runs_with_shortage),
            shortage_days: Estimate::of(&a.shortage_days),
            unmet_m3: Estimate::of(&a.unmet),
            delivered_m3: Estimate::of(&a.delivered),
            lost_m3: Estimate::of(&a.lost),
            convoys_dispatched_mean: mean(&a.convoys),
            convoys_attacked: Estimate::of(&a.attacked),
            rationed_m3: Estimate::of(&a.rationed),
            convoys_shifted_mean: mean(&a.shifted),
            convoys_deterred_mean: mean(&a.deterred),
            shortage_spells_mean: mean(&a.spells),
            longest_spell_days_mean: mean(&a.longest),
            last_shortage_day_p50: median_day(&a.last_day_counts, a.runs_with_shortage),
            dispatched_m3: Estimate::of(&a.dispatched),
            pipeline_m3: Estimate::of(&a.pipeline),
            in_transit_m3: Estimate::of(&a.in_transit),
            reserve_released_m3_mean: mean(&a.reserve_released),
        }
    }

    /// The stock and shortage of demand `d` on `day`.
    pub fn daily(&self, d: usize, day: usize) -> DailyStats {
        let i = d * self.days + day;
        let n = self.runs.max(1) as f64;
        let by_day: u64 = self.demands[d].first_day_counts[..=day].iter().sum();
        DailyStats {
            stock_mean: self.stock_sum[i].mean().unwrap_or(0.0),
            stock_quantiles: QUANTILES
                .map(|q| if self.quantiles { self.stock.quantile(i, q).unwrap_or(0.0) } else { f64::NAN }),
            p_shortage: self.shortage_runs[i] as f64 / n,
            p_shortage_by_day: by_day as f64 / n,
            delivered_cum_mean: self.delivered_cum[i].mean().unwrap_or(0.0),
        }
    }

    /// Road `e` (its id in the network): zeros when no route uses it.
    pub fn edge(&self, e: usize) -> SiteSummary {
        match self.road(e) {
            Some(i) => self.site(&self.edges[i]),
            None => self.site(&SiteAcc::default()),
        }
    }

    /// The index of network road `e` among the roads some route uses.
    fn road(&self, e: usize) -> Option<usize> {
        self.roads.binary_search(&EdgeId(e as u32)).ok()
    }

    pub fn blockade(&self, b: usize) -> SiteSummary {
        self.site(&self.blockades[b])
    }

    /// The most trucks that entered road `e` in one day, over every run and day.
    pub fn edge_day_max(&self, e: usize) -> u32 {
        self.road(e).map_or(0, |i| self.edge_day_max[i])
    }

    /// Attacks and losses of attacker `a` at its candidate `c`.
    pub fn attacker_site(&self, a: usize, c: usize) -> SiteSummary {
        self.site(&self.attackers[a][c])
    }

    /// The share of runs in which attacker `a` held its candidate `c` in period `p`.
    pub fn held_share(&self, a: usize, p: usize, c: usize) -> f64 {
        self.held[a][p][c] as f64 / self.runs.max(1) as f64
    }

    fn site(&self, a: &SiteAcc) -> SiteSummary {
        let n = self.runs.max(1) as f64;
        SiteSummary {
            trucks_mean: a.trucks as f64 / n,
            attacks_mean: a.attacks as f64 / n,
            trucks_lost_mean: a.trucks_lost as f64 / n,
            lost_m3: Estimate::of(&a.lost),
        }
    }
}
