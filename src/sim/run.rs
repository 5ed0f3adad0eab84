//! One Monte Carlo run: every convoy moved along its route (one after the other, or in time
//! order when convoys interact, see `events`), deliveries and losses booked to their demand
//! node, then each stock run day by day. Volumes are booked in whole litres (integers), so that
//! a run's totals do not depend on the order in which convoys were moved.

use super::events;
use super::stock::run_stock;
use super::{Model, Order};
use crate::convoy::{Assailant, ConvoyPlan, Event, Scratch, SiteRef};
use crate::network::EdgeId;
use crate::rng::run_key;
use crate::scenario::DemandId;

/// One demand node's results in one run (a row of runs.csv).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DemandRun {
    pub first_shortage_day: Option<u32>,
    pub shortage_days: u32,
    pub unmet_m3: f64,
    pub delivered_m3: f64,
    pub lost_m3: f64,
    pub convoys_dispatched: u32,
    pub convoys_attacked: u32,
    /// Demand cut by rationing.
    pub rationed_m3: f64,
    /// Convoys that left from their stream's `shift_to` origin.
    pub convoys_shifted: u32,
    /// Departures in [0, horizon) that did not go ahead (drivers refused the road).
    pub convoys_deterred: u32,
    /// Fuel that left in [0, horizon), scheduled convoys included.
    pub dispatched_m3: f64,
    /// Fuel on the road at t = 0: departed before 0, not arrived before 0.
    pub pipeline_m3: f64,
    /// Fuel departed, not arrived and not lost before the horizon.
    pub in_transit_m3: f64,
    /// Maximal runs of consecutive shortage days.
    pub shortage_spells: u32,
    pub longest_spell_days: u32,
    pub last_shortage_day: Option<u32>,
    /// The reserve added to the stock (0 when it was not released).
    pub reserve_released_m3: f64,
}

/// Trucks lost in one attack: when, by whom, how many.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loss {
    pub t: f64,
    pub by: Assailant,
    pub trucks: u32,
}

/// A demand node's volumes in one run, in litres.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Litres {
    delivered: i64,
    lost: i64,
    dispatched: i64,
    pipeline: i64,
    in_transit: i64,
}

fn m3(litres: i64) -> f64 {
    litres as f64 / 1000.0
}

/// A row of runs.csv.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunRow {
    pub run: u64,
    pub demand: DemandId,
    pub result: DemandRun,
}

/// Attacks and losses at one site in one run.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SiteRun {
    pub attacks: u32,
    pub trucks_lost: u32,
    pub lost_litres: i64,
}

impl SiteRun {
    pub fn lost_m3(&self) -> f64 {
        m3(self.lost_litres)
    }
}

/// Everything one run produced; reused from run to run to avoid allocation.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub days: usize,
    pub demand: Vec<DemandRun>,
    litres: Vec<Litres>,
    /// Stock at the end of each day, demand-major: `[d * days + day]`.
    pub stock: Vec<f64>,
    /// Whether each day had unmet demand, same layout as `stock`.
    pub shortage: Vec<bool>,
    /// Fuel delivered by the end of each day, same layout as `stock`.
    pub delivered_cum: Vec<f64>,
    /// The roads some route uses (those of the model), in id order; the `edge_` vectors below
    /// have one entry per road of it.
    pub roads: Vec<EdgeId>,
    pub edge_trucks: Vec<u64>,
    pub edge_attacks: Vec<u32>,
    pub edge_trucks_lost: Vec<u32>,
    /// The most trucks that entered each road in one day.
    pub edge_day_max: Vec<u32>,
    /// Trucks entering each road per day, road-major: `[e * days + day]`, while the convoys
    /// move; `edge_trucks` and `edge_day_max` are read off it at the end of the run, which
    /// leaves it zero for the next.
    edge_day: Vec<u32>,
    pub blockades: Vec<SiteRun>,
    /// Per attacker, per candidate site.
    pub attackers: Vec<Vec<SiteRun>>,
    /// Per attacker, per period, whether each candidate was held.
    pub held: Vec<Vec<Vec<bool>>>,
    pub(super) deliveries: Vec<Vec<(f64, f64)>>,
    /// Every attack that cost trucks, in the order found (for observations).
    pub losses: Vec<Loss>,
    pub(super) scratch: Scratch,
}

impl RunOutcome {
    pub fn new(model: &Model) -> RunOutcome {
        let (days, demands) = (model.horizon_days as usize, model.demands.len());
        let attackers = &model.movement.attackers;
        RunOutcome {
            days,
            demand: vec![DemandRun::default(); demands],
            litres: vec![Litres::default(); demands],
            stock: vec![0.0; days * demands],
            shortage: vec![false; days * demands],
            delivered_cum: vec![0.0; days * demands],
            roads: model.roads.clone(),
            edge_trucks: vec![0; model.roads.len()],
            edge_attacks: vec![0; model.roads.len()],
            edge_trucks_lost: vec![0; model.roads.len()],
            edge_day_max: vec![0; model.roads.len()],
            edge_day: vec![0; model.roads.len() * days],
            blockades: vec![SiteRun::default(); model.blockades],
            attackers: attackers.iter().map(|a| vec![SiteRun::default(); a.candidates.len()]).collect(),
            held: attackers
                .iter()
                .map(|a| vec![vec![false; a.candidates.len()]; a.periods(f64::from(model.horizon_days))])
                .collect(),
            deliveries: vec![Vec::new(); demands],
            losses: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    fn reset(&mut self) {
        self.demand.fill(DemandRun::default());
        self.litres.fill(Litres::default());
        self.edge_trucks.fill(0);
        self.edge_attacks.fill(0);
        self.edge_trucks_lost.fill(0);
        self.blockades.fill(SiteRun::default());
        self.attackers.iter_mut().for_each(|a| a.fill(SiteRun::default()));
        self.held.iter_mut().flatten().for_each(|p| p.fill(false));
        self.deliveries.iter_mut().for_each(Vec::clear);
        self.losses.clear();
    }

    /// Plays run `run` of `model` under `seed`, replacing what this outcome held.
    pub fn play(&mut self, model: &Model, seed: u64, run: u64) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: the processor has FMA.
            return unsafe { self.play_fma(model, seed, run) };
        }
        self.play_here(model, seed, run);
    }

    /// `play` compiled for processors with FMA: the movement is inlined here, and the fused
    /// multiply-adds of its `exp` are single instructions instead of calls (same bits).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "fma")]
    fn play_fma(&mut self, model: &Model, seed: u64, run: u64) {
        self.play_here(model, seed, run);
    }

    #[inline(always)]
    fn play_here(&mut self, model: &Model, seed: u64, run: u64) {
        self.reset();
        let key = run_key(seed, run);
        match model.order {
            Order::Independent => {
                let mut scratch = std::mem::take(&mut self.scratch);
                for convoy in &model.dispatch.convoys {
                    let mut attacked = false;
                    self.depart(convoy, false);
                    let book = &mut |e| self.book(model, convoy, &mut attacked, e);
                    model.movement.travel(convoy, key, convoy.escorted, &mut scratch, book);
                }
                self.scratch = scratch;
                self.fill_schedule(model);
            }
            Order::Departure => events::play_by_departure(model, key, self),
            Order::Steps => events::play_steps(model, key, self),
        }
        self.count_roads();
        let days = self.days;
        for (d, demand) in model.demands.iter().enumerate() {
            let range = d * days..(d + 1) * days;
            let totals = run_stock(
                demand,
                &mut self.deliveries[d],
                &mut self.stock[range.clone()],
                &mut self.shortage[range.clone()],
            );
            // The deliveries are sorted by time now: add them up day by day.
            let mut total = 0.0;
            let mut arrivals = self.deliveries[d].iter().peekable();
            for (day, cum) in self.delivered_cum[range.clone()].iter_mut().enumerate() {
                while let Some(&&(t, m3)) = arrivals.peek() {
                    if t >= (day + 1) as f64 {
                        break;
                    }
                    total += m3;
                    arrivals.next();
                }
                *cum = total;
            }
            let spells = Spells::of(&self.shortage[range]);
            let (r, l) = (&mut self.demand[d], self.litres[d]);
            r.first_shortage_day = totals.first_shortage_day;
            r.shortage_days = totals.shortage_days;
            r.unmet_m3 = totals.unmet_m3;
            r.rationed_m3 = totals.rationed_m3;
            r.reserve_released_m3 = totals.reserve_released_m3;
            r.shortage_spells = spells.count;
            r.longest_spell_days = spells.longest;
            r.last_shortage_day = spells.last;
            r.delivered_m3 = m3(l.delivered);
            r.lost_m3 = m3(l.lost);
            r.dispatched_m3 = m3(l.dispatched);
            r.pipeline_m3 = m3(l.pipeline);
            r.in_transit_m3 = m3(l.in_transit);
        }
    }

    /// Records which candidates static and rotating attackers hold in each period (adaptive
    /// ones are recorded as they move).
    pub(super) fn fill_schedule(&mut self, model: &Model) {
        for (a, periods) in self.held.iter_mut().enumerate() {
            for (p, held) in periods.iter_mut().enumerate() {
                let t = model.movement.attackers[a].period_start(p);
                for (c, h) in held.iter_mut().enumerate() {
                    *h = model.movement.scheduled(a, c, t);
                }
            }
        }
    }

    /// Books the departure of `convoy`: dispatched (or `deterred`) when it leaves in
    /// [0, horizon), on the road at t = 0 when it left before (until it arrives before 0).
    #[inline]
    pub(super) fn depart(&mut self, convoy: &ConvoyPlan, deterred: bool) {
        let d = convoy.demand.index();
        let litres = convoy.litres(convoy.trucks);
        if convoy.depart < 0.0 {
            self.litres[d].pipeline += litres;
        } else if deterred {
            self.demand[d].convoys_deterred += 1;
        } else {
            self.demand[d].convoys_dispatched += 1;
            self.demand[d].convoys_shifted += u32::from(convoy.shifted);
            self.litres[d].dispatched += litres;
        }
    }

    /// Books one event of `convoy` (movement stops at the horizon, so every event but `Edge`
    /// is before it). `attacked` is the convoy's flag: whether it was attacked already.
    /// Trucks entering a road without a queue, the most frequent event, are counted where the
    /// walk emits them; the rest goes through `book_rare`.
    #[inline(always)]
    pub(super) fn book(&mut self, model: &Model, convoy: &ConvoyPlan, attacked: &mut bool, event: Event) {
        self.book_then(model, convoy, attacked, event, |_| ());
    }

    /// `book`, showing every event but a plain `Edge` to `rare` first: runs whose convoys are
    /// linked tell their gate of attacks there, so that their frequent path is `book`'s.
    #[inline(always)]
    pub(super) fn book_then(
        &mut self,
        model: &Model,
        convoy: &ConvoyPlan,
        attacked: &mut bool,
        event: Event,
        rare: impl FnOnce(&Event),
    ) {
        match event {
            Event::Edge { edge, t, trucks, spacing: 0.0 } => {
                self.enter(model.road_slot[edge.index()] as usize, t, trucks);
            }
            _ => {
                rare(&event);
                self.book_rare(model, convoy, attacked, event);
            }
        }
    }

    #[inline(never)]
    fn book_rare(&mut self, model: &Model, convoy: &ConvoyPlan, attacked: &mut bool, event: Event) {
        let d = convoy.demand.index();
        match event {
            Event::Edge { edge, t, trucks, spacing } => {
                let e = model.road_slot[edge.index()] as usize;
                if spacing > 0.0 {
                    (0..trucks).for_each(|j| self.enter(e, t + f64::from(j) * spacing, 1));
                } else {
                    self.enter(e, t, trucks);
                }
            }
            Event::Attack { by, site, t, trucks_lost } => {
                if trucks_lost > 0 {
                    self.losses.push(Loss { t, by, trucks: trucks_lost });
                }
                if !*attacked {
                    *attacked = true;
                    self.demand[d].convoys_attacked += 1;
                }
                let lost = convoy.litres(trucks_lost);
                let at = match by {
                    Assailant::Blockade(b) => &mut self.blockades[b.index()],
                    Assailant::Attacker { attacker, candidate } => {
                        &mut self.attackers[attacker as usize][candidate as usize]
                    }
                };
                at.attacks += 1;
                at.trucks_lost += trucks_lost;
                at.lost_litres += lost;
                self.litres[d].lost += lost;
                if let SiteRef::Edge(e) = site {
                    let e = model.road_slot[e.index()] as usize;
                    self.edge_attacks[e] += 1;
                    self.edge_trucks_lost[e] += trucks_lost;
                }
            }
            Event::Arrive { t, trucks } => {
                let litres = convoy.litres(trucks);
                if t < 0.0 {
                    // Used before the scenario starts: it was never on the road at t = 0.
                    self.litres[d].pipeline -= litres;
                } else {
                    self.deliveries[d].push((t, m3(litres)));
                    self.litres[d].delivered += litres;
                }
            }
            Event::Horizon { trucks } => self.litres[d].in_transit += convoy.litres(trucks),
        }
    }

    /// `n` trucks enter road `e` (its index in `roads`) at `t`: counted on their day, if
    /// within the horizon.
    #[inline(always)]
    fn enter(&mut self, e: usize, t: f64, n: u32) {
        // Trucks spaced 1/c apart accumulate rounding: a time a hair under midnight is
        // midnight (times are kept to 1e-9 day, 0.1 ms).
        let t = t + 1e-9;
        let days = self.days;
        if (0.0..days as f64).contains(&t) {
            // `as u32` is a single conversion where `as usize` is several (days < 2^32).
            self.edge_day[e * days + t as u32 as usize] += n;
        }
    }

    /// Each road's trucks and busiest day in this run, from its trucks per day (which are set
    /// back to zero).
    fn count_roads(&mut self) {
        let days = self.days.max(1);
        for (e, per_day) in self.edge_day.chunks_exact_mut(days).enumerate() {
            let (mut total, mut max) = (0u64, 0u32);
            for n in per_day.iter_mut() {
                total += u64::from(*n);
                max = max.max(*n);
                *n = 0;
            }
            self.edge_trucks[e] = total;
            self.edge_day_max[e] = max;
        }
    }

    /// The runs.csv rows of this outcome.
    pub fn rows(&self, run: u64) -> impl Iterator<Item = RunRow> + '_ {
        self.demand.iter().enumerate().map(move |(d, &result)| RunRow { run, demand: DemandId(d as u32), result })
    }
}

/// The shortage spells of one demand node in one run.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Spells {
    count: u32,
    longest: u32,
    last: Option<u32>,
}

impl Spells {
    /// Maximal runs of consecutive shortage days in `shortage` (one flag per day).
    fn of(shortage: &[bool]) -> Spells {
        let mut s = Spells::default();
        let mut run = 0u32;
        for (day, &short) in shortage.iter().enumerate() {
            if short {
                if run == 0 {
                    s.count += 1;
                }
                run += 1;
                s.longest = s.longest.max(run);
                s.last = Some(day as u32);
            } else {
                run = 0;
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::Spells;

    #[test]
    fn spells_are_maximal_runs_of_shortage_days() {
        let f = |s: &str| Spells::of(&s.bytes().map(|b| b == b'x').collect::<Vec<_>>());
        assert_eq!(f("...."), Spells::default());
        assert_eq!(f(".xx..xxx.x"), Spells { count: 3, longest: 3, last: Some(9) });
        assert_eq!(f("xxxx"), Spells { count: 1, longest: 4, last: Some(3) });
    }
}
