//! Runs in which convoys interact: roads and nodes with a capacity (convoys queue first come,
//! first served), a shared escort pool, attackers that follow the traffic, drivers deterred by
//! earlier attacks. Where convoys meet only when they leave (an escort pool, deterrence), each
//! is moved whole in departure order (`play_by_departure`); otherwise every step of every
//! convoy is taken in time order from one queue of events (`play_steps`), at equal times
//! attacker moves first, then convoys in dispatch order. Movement itself is the same code as in
//! independent runs, and volumes are booked in integers, so all give the same bits where
//! nothing interacts. Events are booked through `Booking`, inlined into the walk.

use super::Model;
use super::deterrence::time_key;
use super::gate::Gate;
use super::run::RunOutcome;
use crate::attacker::AttackerPolicy;
use crate::convoy::{ConvoyPlan, Emit, Event, SiteRef, Walk, World};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The state that links convoys in one run.
struct Shared<'m> {
    model: &'m Model,
    /// When each queue (a node or road with a capacity) is free again.
    free: Vec<f64>,
    /// Adaptive attackers: the candidates held now, and trucks met per candidate and day.
    held: Vec<Vec<bool>>,
    traffic: Vec<Vec<Vec<u64>>>,
}

impl World for Shared<'_> {
    fn queue(&mut self, site: SiteRef, t: f64, trucks: u32) -> (f64, f64) {
        let m = self.model;
        let (capacity, queue) = match site {
            SiteRef::Node(n) => (m.node_capacity[n.index()], m.node_queue[n.index()]),
            SiteRef::Edge(e) => (m.edge_capacity[e.index()], m.edge_queue[e.index()]),
        };
        match capacity {
            None => (t, 0.0),
            Some(c) => {
                let free = &mut self.free[queue as usize];
                // A server of c trucks a day: the convoy's trucks go through one after another.
                let start = t.max(*free);
                *free = start + f64::from(trucks) / c;
                (start, 1.0 / c)
            }
        }
    }

    fn passed(&mut self, site: SiteRef, t: f64, trucks: u32) {
        let day = t as usize;
        for &(a, c) in self.model.movement.candidates_at(site) {
            if let Some(days) = self.traffic[a as usize].get_mut(c as usize)
                && let Some(bin) = days.get_mut(day)
            {
                *bin += u64::from(trucks);
            }
        }
    }

    fn holds(&self, attacker: usize, candidate: usize) -> bool {
        self.held[attacker][candidate]
    }
}

/// What an entry of the event queue stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    /// An adaptive attacker chooses its sites for a period (index into the moves).
    Move(u32),
    /// A convoy's next step (its departure first).
    Convoy(u32),
}

/// Plays one run of `model` (run key `key`) in departure order into `out`: each convoy from
/// departure to end, after every convoy that left before it (for runs whose convoys interact
/// only when they leave). Inlined into `RunOutcome::play`, like the movement (see there).
#[inline(always)]
pub(super) fn play_by_departure(model: &Model, key: u64, out: &mut RunOutcome) {
    out.fill_schedule(model);
    let mut gate = Gate::new(model);
    let mut scratch = std::mem::take(&mut out.scratch);
    for &i in &model.by_departure {
        let i = i as usize;
        let convoy = &model.dispatch.convoys[i];
        let Some(escorted) = gate.leave(i, key, out) else { continue };
        let mut attacked = false;
        let mut booking = Booking { model, convoy, out: &mut *out, gate: &mut gate, attacked: &mut attacked };
        let t = model.movement.travel(convoy, key, escorted, &mut scratch, &mut booking);
        gate.ended(i, convoy, t);
    }
    out.scratch = scratch;
}

/// Books the events of a convoy into the run's outcome, telling the gate of its attacks. A
/// type rather than a closure so that booking is inlined into the walk (as a closure, it was
/// a call per event: a tenth of a departure-order run's instructions).
struct Booking<'a, 'm> {
    model: &'m Model,
    convoy: &'m ConvoyPlan,
    out: &'a mut RunOutcome,
    gate: &'a mut Gate<'m>,
    /// Whether the convoy was attacked already.
    attacked: &'a mut bool,
}

impl Emit for Booking<'_, '_> {
    #[inline(always)]
    fn emit(&mut self, event: Event) {
        let gate = &mut *self.gate;
        self.out.book_then(self.model, self.convoy, self.attacked, event, |e| gate.heard(e));
    }
}

/// Plays one run of `model` (run key `key`) step by step in time order into `out`. Inlined
/// into `RunOutcome::play`, like the movement (see there).
#[inline(always)]
pub(super) fn play_steps(model: &Model, key: u64, out: &mut RunOutcome) {
    let horizon = f64::from(model.horizon_days);
    let days = model.horizon_days as usize;
    let attackers = &model.movement.attackers;
    let adaptive = |a: usize| attackers[a].policy == AttackerPolicy::Adaptive;
    let mut shared = Shared {
        model,
        free: vec![0.0; model.queues],
        held: attackers.iter().map(|a| vec![false; a.candidates.len()]).collect(),
        traffic: attackers
            .iter()
            .enumerate()
            .map(|(i, a)| vec![vec![0; if adaptive(i) { days } else { 0 }]; a.candidates.len()])
            .collect(),
    };
    out.fill_schedule(model);
    let mut queue: BinaryHeap<Reverse<(u64, What)>> = BinaryHeap::new();
    let mut moves = Vec::new();
    for (a, attacker) in attackers.iter().enumerate().filter(|(a, _)| adaptive(*a)) {
        for p in 0..attacker.periods(horizon) {
            queue.push(Reverse((time_key(attacker.period_start(p)), What::Move(moves.len() as u32))));
            moves.push((a, p));
        }
    }
    let convoys = &model.dispatch.convoys;
    for (i, c) in convoys.iter().enumerate() {
        queue.push(Reverse((time_key(c.depart), What::Convoy(i as u32))));
    }
    let mut walks: Vec<Option<Walk>> = vec![None; convoys.len()];
    let mut attacked = vec![false; convoys.len()];
    let mut gate = Gate::new(model);

    // Walks end at the horizon by themselves (a `Horizon` event), so the queue runs dry.
    while let Some(Reverse((_, what))) = queue.pop() {
        match what {
            What::Move(m) => {
                let (a, p) = moves[m as usize];
                let attacker = &attackers[a];
                let chosen = if p == 0 {
                    attacker.scheduled(0)
                } else {
                    let window = attacker.window(p);
                    let (from, to) =
                        (window.start.clamp(0, days as i64) as usize, window.end.clamp(0, days as i64) as usize);
                    let seen: Vec<u64> = shared.traffic[a].iter().map(|d| d[from..to.max(from)].iter().sum()).collect();
                    attacker.busiest(&seen)
                };
                for (c, h) in shared.held[a].iter_mut().enumerate() {
                    *h = chosen.contains(&c);
                }
                out.held[a][p].clone_from(&shared.held[a]);
            }
            What::Convoy(i) => {
                let i = i as usize;
                let convoy = &convoys[i];
                if walks[i].is_none() {
                    let Some(escorted) = gate.leave(i, key, out) else { continue };
                    walks[i] = Some(model.movement.start(convoy, key, escorted));
                }
                let Some(walk) = walks[i].as_mut() else { continue };
                let mut booking =
                    Booking { model, convoy, out: &mut *out, gate: &mut gate, attacked: &mut attacked[i] };
                let more = model.movement.step(walk, &mut shared, &mut booking);
                if more {
                    queue.push(Reverse((time_key(walk.t), What::Convoy(i as u32))));
                } else {
                    gate.ended(i, convoy, walk.t);
                }
            }
        }
    }
}
