//! What is decided when a convoy leaves, in runs where that links convoys: whether drivers go
//! at all (deterrence: the attacks on the stream's road before now) and whether the convoy
//! gets an escort unit from the pool (the units that earlier convoys have brought back). Both
//! depend only on what earlier convoys did, so the same gate serves runs played in departure
//! order and runs played step by step in time order.

use super::Model;
use super::deterrence::Pressure;
use super::run::RunOutcome;
use crate::convoy::{ConvoyPlan, Event, SiteRef};
use crate::rng::{Part, derive, derive_part, first_output, name_key, unit_f64};

pub(super) struct Gate<'m> {
    model: &'m Model,
    pressure: Option<Pressure>,
    /// When each escort unit is back (infinite while out), and which unit each convoy has.
    back: Vec<f64>,
    escort_of: Vec<Option<usize>>,
    deter_part: Part,
}

impl<'m> Gate<'m> {
    pub fn new(model: &'m Model) -> Gate<'m> {
        let units = model.escorts.as_ref().map_or(0, |e| e.units as usize);
        Gate {
            model,
            pressure: model.deterrence.as_ref().map(Pressure::new),
            back: vec![0.0; units],
            escort_of: vec![None; model.dispatch.convoys.len()],
            deter_part: Part::new(name_key("deterrence")),
        }
    }

    /// Convoy `i` is due to leave at its departure time: books its departure into `out` and
    /// returns whether it leaves escorted, or `None` when drivers refused the road. Inlined
    /// into the run, which `sim` compiles for processors with FMA (see `convoy::exp`).
    #[inline(always)]
    pub fn leave(&mut self, i: usize, key: u64, out: &mut RunOutcome) -> Option<bool> {
        let convoy = &self.model.dispatch.convoys[i];
        let t = convoy.depart;
        // One draw per departure, from its own stream, only when an attack came before.
        if let (Some(plan), Some(p)) = (&self.model.deterrence, &mut self.pressure)
            && let Some(s) = plan.stream(convoy.supply)
        {
            let go = p.go_ahead(plan, s, t);
            // The first draw of the departure's stream (`rng::first_output`).
            if go < 1.0 && unit_f64(first_output(derive_part(derive(key, convoy.key), self.deter_part))) >= go {
                out.depart(convoy, true);
                return None;
            }
        }
        out.depart(convoy, false);
        let mut escorted = convoy.escorted;
        if let Some(pool) = &self.model.escorts
            && !escorted
            && convoy.supply.is_some_and(|s| pool.uses[s.index()])
            && t >= pool.start_day
            && let Some(u) = self.back.iter().position(|&b| b <= t)
        {
            self.back[u] = f64::INFINITY;
            self.escort_of[i] = Some(u);
            escorted = true;
        }
        Some(escorted)
    }

    /// Hears an event of a convoy under way (attacks raise the pressure on deterred streams).
    #[inline(always)]
    pub fn heard(&mut self, event: &Event) {
        if let Event::Attack { site, t, .. } = event {
            self.attacked(*site, *t);
        }
    }

    #[inline(never)]
    fn attacked(&mut self, site: SiteRef, t: f64) {
        if let (Some(plan), Some(p)) = (&self.model.deterrence, &mut self.pressure) {
            p.attack(plan, site, t);
        }
    }

    /// Convoy `i` (of plan `convoy`) has ended at `t`: its escort unit comes back after the
    /// round trip.
    pub fn ended(&mut self, i: usize, convoy: &ConvoyPlan, t: f64) {
        if let Some(u) = self.escort_of[i] {
            self.back[u] = t + (t - convoy.depart);
        }
    }
}
