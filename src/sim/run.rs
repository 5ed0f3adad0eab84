//! One Monte Carlo run: every convoy moved along its route, deliveries and losses booked to
//! their demand node, then each stock run day by day.

use super::Model;
use super::stock::run_stock;
use crate::convoy::Event;
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
}

/// A row of runs.csv.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunRow {
    pub run: u64,
    pub demand: DemandId,
    pub result: DemandRun,
}

/// Everything one run produced; reused from run to run to avoid allocation.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub days: usize,
    pub demand: Vec<DemandRun>,
    /// Stock at the end of each day, demand-major: `[d * days + day]`.
    pub stock: Vec<f64>,
    /// Whether each day had unmet demand, same layout as `stock`.
    pub shortage: Vec<bool>,
    pub edge_trucks: Vec<u64>,
    pub edge_attacks: Vec<u32>,
    pub edge_trucks_lost: Vec<u32>,
    pub blockade_attacks: Vec<u32>,
    pub blockade_trucks_lost: Vec<u32>,
    pub blockade_lost_m3: Vec<f64>,
    deliveries: Vec<Vec<(f64, f64)>>,
}

impl RunOutcome {
    pub fn new(model: &Model) -> RunOutcome {
        let (days, demands) = (model.horizon_days as usize, model.demands.len());
        RunOutcome {
            days,
            demand: vec![DemandRun::default(); demands],
            stock: vec![0.0; days * demands],
            shortage: vec![false; days * demands],
            edge_trucks: vec![0; model.edges],
            edge_attacks: vec![0; model.edges],
            edge_trucks_lost: vec![0; model.edges],
            blockade_attacks: vec![0; model.blockades],
            blockade_trucks_lost: vec![0; model.blockades],
            blockade_lost_m3: vec![0.0; model.blockades],
            deliveries: vec![Vec::new(); demands],
        }
    }

    fn reset(&mut self) {
        self.demand.fill(DemandRun::default());
        self.edge_trucks.fill(0);
        self.edge_attacks.fill(0);
        self.edge_trucks_lost.fill(0);
        self.blockade_attacks.fill(0);
        self.blockade_trucks_lost.fill(0);
        self.blockade_lost_m3.fill(0.0);
        self.deliveries.iter_mut().for_each(Vec::clear);
    }

    /// Plays run `run` of `model` under `seed`, replacing what this outcome held.
    pub fn play(&mut self, model: &Model, seed: u64, run: u64) {
        self.reset();
        let horizon = f64::from(model.horizon_days);
        let key = run_key(seed, run);
        for convoy in &model.dispatch.convoys {
            let d = convoy.demand.index();
            let m3 = model.truck_m3[convoy.supply.index()];
            let route = &model.dispatch.routes[convoy.route as usize];
            let mut attacked = false;
            self.demand[d].convoys_dispatched += 1;
            model.movement.travel(convoy, route, key, &mut |event| match event {
                Event::Edge { edge, t, trucks } if t < horizon => {
                    self.edge_trucks[edge.index()] += u64::from(trucks);
                }
                Event::Attack { blockade, edge, t, trucks_lost } if t < horizon => {
                    let b = blockade.index();
                    if !attacked {
                        attacked = true;
                        self.demand[d].convoys_attacked += 1;
                    }
                    self.blockade_attacks[b] += 1;
                    self.blockade_trucks_lost[b] += trucks_lost;
                    self.blockade_lost_m3[b] += f64::from(trucks_lost) * m3;
                    self.demand[d].lost_m3 += f64::from(trucks_lost) * m3;
                    if let Some(e) = edge {
                        self.edge_attacks[e.index()] += 1;
                        self.edge_trucks_lost[e.index()] += trucks_lost;
                    }
                }
                Event::Arrive { t, trucks } if t < horizon => {
                    let m3 = f64::from(trucks) * m3;
                    self.deliveries[d].push((t, m3));
                    self.demand[d].delivered_m3 += m3;
                }
                _ => {}
            });
        }
        let days = self.days;
        for (d, demand) in model.demands.iter().enumerate() {
            let range = d * days..(d + 1) * days;
            let totals =
                run_stock(demand, &mut self.deliveries[d], &mut self.stock[range.clone()], &mut self.shortage[range]);
            let r = &mut self.demand[d];
            r.first_shortage_day = totals.first_shortage_day;
            r.shortage_days = totals.shortage_days;
            r.unmet_m3 = totals.unmet_m3;
            r.rationed_m3 = totals.rationed_m3;
        }
    }

    /// The runs.csv rows of this outcome.
    pub fn rows(&self, run: u64) -> impl Iterator<Item = RunRow> + '_ {
        self.demand.iter().enumerate().map(move |(d, &result)| RunRow { run, demand: DemandId(d as u32), result })
    }
}
