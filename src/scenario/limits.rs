//! The documented limits of a scenario (docs/formats.md, Limits): ranges of volumes and rates
//! that keep every sum of the simulation exact (volumes are counted in whole litres in an i64,
//! statistics in thousandths in an i64 per run), and counts of convoys and trucks checked in
//! closed form before anything is planned or allocated.

use super::file::ScenarioFile;
use super::validate::{Context, ScenarioError};
use super::{ScheduledConvoy, Simulation, Supply};
use crate::input::Range;

/// The most convoys one run may dispatch (warm-up and scheduled convoys included).
pub const MAX_CONVOYS_PER_RUN: u64 = 2_000_000;
/// The most trucks one run may dispatch: per-run truck counts fit in 32 bits and their sums
/// over 10^9 runs in 64.
pub const MAX_TRUCKS_PER_RUN: u64 = 1_000_000_000;
/// Convoys a day of one stream.
pub const CONVOYS_PER_DAY: Range = Range { min: 0.0, max: 10_000.0, min_open: true };
/// m³ a day a city consumes (about 60 times the world's oil consumption).
pub const CONSUMPTION_M3_PER_DAY: Range = Range::closed(0.0, 1e9);
/// m³ of a stock or reserve.
pub const STOCK_M3: Range = Range::closed(0.0, 1e12);
/// m³ a truck carries.
pub const TRUCK_M3: Range = Range { min: 0.0, max: 10_000.0, min_open: true };
/// Days between an attacker's moves.
pub const PERIOD_DAYS: Range = Range { min: 0.01, max: f64::INFINITY, min_open: false };
/// Escort units of a pool.
pub const MAX_ESCORT_UNITS: u32 = 100_000;

impl Context<'_> {
    /// Counts the convoys and trucks of a run in closed form and refuses too many, naming the
    /// stream that dispatches the most; checks the volume of scheduled convoys' trucks.
    pub(super) fn dispatch_limits(
        &self,
        f: &ScenarioFile,
        supplies: &[Supply],
        convoys: &[ScheduledConvoy],
        sim: &Simulation,
    ) -> Result<(), ScenarioError> {
        for (c, file) in convoys.iter().zip(&f.convoy) {
            let at = &file.get_ref().truck_m3;
            self.number(at, &format!("convoy.{}.truck_m3", c.name), TRUCK_M3)?;
        }
        let (horizon, warm_up) = (sim.horizon(), sim.warm_up_days);
        let counts: Vec<u64> = supplies.iter().map(|s| s.departure_count(horizon, warm_up)).collect();
        let trucks: Vec<u64> =
            supplies.iter().zip(&counts).map(|(s, &n)| n.saturating_mul(u64::from(s.trucks_per_convoy))).collect();
        let sum = |v: &[u64], start: u64| v.iter().fold(start, |a, &x| a.saturating_add(x));
        let total_convoys = sum(&counts, convoys.len() as u64);
        let total_trucks = sum(&trucks, convoys.iter().map(|c| u64::from(c.trucks)).sum());
        let most = |v: &[u64]| (0..v.len()).max_by_key(|&i| (v[i], std::cmp::Reverse(i)));
        let (Some(i), Some(j)) = (most(&counts), most(&trucks)) else { return Ok(()) };
        let window = |s: &Supply| {
            let warm = if s.start_day == 0.0 && warm_up > 0.0 {
                format!(" and {warm_up} days of warm-up")
            } else {
                String::new()
            };
            format!("from day {} to {}{warm}", s.start_day, s.end_day.min(horizon))
        };
        if total_convoys > MAX_CONVOYS_PER_RUN {
            let (s, file) = (&supplies[i], f.supply[i].get_ref());
            let together = if counts[i] == total_convoys {
                String::new()
            } else {
                format!(" ({total_convoys} with the other streams and convoys)")
            };
            let msg = format!(
                "{} convoys a day {} dispatch {} convoys per run{together}; at most {MAX_CONVOYS_PER_RUN} are allowed",
                s.convoys_per_day,
                window(s),
                counts[i]
            );
            return Err(self.invalid(&file.convoys_per_day, &format!("supply.{}.convoys_per_day", s.name), msg));
        }
        if total_trucks > MAX_TRUCKS_PER_RUN {
            let (s, file) = (&supplies[j], f.supply[j].get_ref());
            let msg = format!(
                "{} convoys of {} trucks dispatch {} trucks per run ({total_trucks} in all); at most \
                 {MAX_TRUCKS_PER_RUN} are allowed",
                counts[j], s.trucks_per_convoy, trucks[j]
            );
            return Err(self.invalid(&file.trucks_per_convoy, &format!("supply.{}.trucks_per_convoy", s.name), msg));
        }
        Ok(())
    }
}
