//! Convoys: when each one leaves and by which route (fixed by the scenario, so planned once),
//! and, in `walk`, how one convoy moves along its route in a run: travel times, waits at nodes,
//! queues, attacks.

mod course;
mod exp;
mod normal;
mod walk;

pub use course::Scratch;
pub use exp::exp;
pub use walk::{Alone, Assailant, Emit, Event, Movement, SiteRef, Walk, World};

use crate::blockade::{Blockade, Site};
use crate::network::NodeId;
use crate::rng::{derive, name_key};
use crate::routing::{Route, Router};
use crate::scenario::{DemandId, Policy, Scenario, SupplyId};
use std::collections::HashMap;

/// One convoy, as dispatched (identical in every run): of a supply stream, or scheduled.
#[derive(Debug, Clone)]
pub struct ConvoyPlan {
    /// The supply stream it belongs to; `None` for a scheduled convoy (`[[convoy]]`).
    pub supply: Option<SupplyId>,
    pub demand: DemandId,
    pub depart: f64,
    /// Index into [`Dispatch::routes`].
    pub route: u32,
    pub trucks: u32,
    /// Fuel a truck carries, in litres: volumes are counted in whole litres, so that their
    /// sums are exact in any order.
    pub truck_litres: i64,
    pub escorted: bool,
    /// Whether it left from its stream's `shift_to` origin instead of its own.
    pub shifted: bool,
    /// Stable key of (supply name, departure number) or of the scheduled convoy's name: the
    /// root of this convoy's random streams.
    pub key: u64,
}

impl ConvoyPlan {
    /// Fuel aboard `trucks` trucks of this convoy, in litres.
    pub fn litres(&self, trucks: u32) -> i64 {
        i64::from(trucks) * self.truck_litres
    }
}

/// Litres in `m3` cubic metres, rounded to the nearest litre.
pub fn litres(m3: f64) -> i64 {
    (m3 * 1000.0).round() as i64
}

/// Every convoy of a scenario (supply streams in order, each in departure order, then the
/// scheduled convoys in file order) and the distinct routes used.
#[derive(Debug, Clone)]
pub struct Dispatch {
    pub convoys: Vec<ConvoyPlan>,
    pub routes: Vec<Route>,
    /// Per supply stream, its static route (through its `via` nodes): index into `routes`.
    pub static_routes: Vec<u32>,
}

/// Shifted convoys an origin can still send: its spare capacity, as a bucket of at most one
/// day's worth (and at least one convoy), full at the start.
struct Bucket {
    rate: f64,
    cap: f64,
    tokens: f64,
    last: f64,
}

impl Bucket {
    fn new(rate: f64) -> Bucket {
        let cap = rate.max(1.0);
        Bucket { rate, cap, tokens: cap, last: 0.0 }
    }

    fn take(&mut self, t: f64) -> bool {
        self.tokens = (self.tokens + self.rate * (t - self.last)).min(self.cap);
        self.last = t;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Routes computed once per (origin, destination, known blockades).
struct Planner<'a> {
    scenario: &'a Scenario,
    router: &'a Router<'a>,
    routes: Vec<Route>,
    cache: HashMap<(u32, u32, Vec<NodeId>, Vec<bool>), u32>,
    /// Static legs, by (from, to).
    legs: HashMap<(u32, u32), Route>,
}

impl Planner<'_> {
    /// The blockades known at time t.
    fn known(&self, t: f64) -> Vec<bool> {
        let delay = self.scenario.routing.detection_delay_days;
        self.scenario.blockades.iter().map(|b| b.known(t, delay)).collect()
    }

    /// The least-cost route from `from` through each `via` node in turn to `to`, each leg
    /// avoiding the `known` blockades (none when empty) other than at its own ends, or taking
    /// its static leg where it cannot.
    fn route(&mut self, from: NodeId, to: NodeId, via: &[NodeId], known: &[bool]) -> u32 {
        let key = (from.0, to.0, via.to_vec(), known.to_vec());
        if let Some(&r) = self.cache.get(&key) {
            return r;
        }
        let stops: Vec<NodeId> = std::iter::once(from).chain(via.iter().copied()).chain([to]).collect();
        let mut route = Route { nodes: vec![from], edges: Vec::new(), nominal_days: 0.0 };
        for leg in stops.windows(2) {
            let l = self.leg(leg[0], leg[1], known);
            route.nodes.extend_from_slice(&l.nodes[1..]);
            route.edges.extend_from_slice(&l.edges);
            route.nominal_days += l.nominal_days;
        }
        let index = match self.routes.iter().position(|r| *r == route) {
            Some(i) => i as u32,
            None => {
                self.routes.push(route);
                (self.routes.len() - 1) as u32
            }
        };
        self.cache.insert(key, index);
        index
    }

    /// One leg of a route: avoiding the `known` blockades, or static where it cannot. The
    /// static leg itself when it meets none of them (it is then also the least-cost leg that
    /// avoids them), without a search.
    fn leg(&mut self, from: NodeId, to: NodeId, known: &[bool]) -> Route {
        let (scenario, router) = (self.scenario, self.router);
        let fixed = self
            .legs
            .entry((from.0, to.0))
            .or_insert_with(|| {
                // Validation guarantees a static route for every leg.
                router.route(from, to, |_| false, |_| false).unwrap_or_else(|| Route {
                    nodes: vec![from],
                    edges: vec![],
                    nominal_days: 0.0,
                })
            })
            .clone();
        let inner = &fixed.nodes[1..fixed.nodes.len().saturating_sub(1)];
        let meets = scenario.blockades.iter().zip(known).any(|(b, &k)| {
            k && match b.site {
                Site::Node(n) => inner.contains(&n),
                Site::Edge(..) => fixed.edges.iter().any(|&e| b.covers_edge(&scenario.network, e)),
            }
        });
        if !meets {
            return fixed;
        }
        let avoiding = router.route(
            from,
            to,
            |n| blocked(scenario, known, |b| b.site == Site::Node(n)),
            |e| blocked(scenario, known, |b| b.covers_edge(&scenario.network, e)),
        );
        // Where no route avoids them, `avoid` falls back to the static leg.
        avoiding.unwrap_or(fixed)
    }

    /// Whether the static route from `from` through `via` to `to` meets a known blockade.
    fn blocked_route(&mut self, from: NodeId, to: NodeId, via: &[NodeId], known: &[bool]) -> bool {
        let r = self.route(from, to, via, &[]);
        let route = &self.routes[r as usize];
        let net = &self.scenario.network;
        self.scenario.blockades.iter().zip(known).any(|(b, &k)| {
            k && match b.site {
                Site::Node(n) => route.nodes.contains(&n),
                Site::Edge(..) => route.edges.iter().any(|&e| b.covers_edge(net, e)),
            }
        })
    }
}

impl Dispatch {
    /// Plans the departures of every supply (warm-up included), moves convoys to their
    /// `shift_to` origin where their route is known blocked (within the origin's spare
    /// capacity), routes each convoy under the routing policy, and adds the scheduled convoys.
    pub fn plan(scenario: &Scenario, router: &Router) -> Dispatch {
        let sim = &scenario.simulation;
        let (horizon, warm_up) = (sim.horizon(), sim.warm_up_days);
        let mut planner = Planner { scenario, router, routes: Vec::new(), cache: HashMap::new(), legs: HashMap::new() };
        let static_routes = scenario.supplies.iter().map(|s| planner.route(s.from, s.to, &s.via, &[])).collect();
        let mut departures: Vec<(f64, usize, i64)> = Vec::new();
        for (s, supply) in scenario.supplies.iter().enumerate() {
            departures.extend(supply.departures(horizon, warm_up).map(|(k, t)| (t, s, k)));
        }
        // In time order, so that shifted convoys draw on the origins' capacity first come.
        departures.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut buckets: HashMap<u32, Bucket> =
            scenario.origins.iter().map(|o| (o.node.0, Bucket::new(o.spare_convoys_per_day))).collect();
        let mut candidates = vec![0u64; scenario.supplies.len()];
        let mut convoys = Vec::with_capacity(departures.len() + scenario.convoys.len());
        let avoiding = scenario.routing.policy == Policy::Avoid;
        for (depart, s, k) in departures {
            let supply = &scenario.supplies[s];
            let known = if avoiding || supply.shift.is_some() { planner.known(depart) } else { Vec::new() };
            let mut from = supply.from;
            let mut shifted = false;
            if let Some(shift) = supply.shift
                && planner.blocked_route(supply.from, supply.to, &supply.via, &known)
            {
                // Every convoy that could move counts; `share` of them move, evenly spread.
                let n = candidates[s];
                candidates[s] += 1;
                let picked = ((n + 1) as f64 * shift.share).floor() > (n as f64 * shift.share).floor();
                if picked && buckets.get_mut(&shift.to.0).is_some_and(|b| b.take(depart)) {
                    from = shift.to;
                    shifted = true;
                }
            }
            let avoid: &[bool] = if avoiding { &known } else { &[] };
            // A shifted convoy leaves from elsewhere: its stream's `via` does not apply.
            let via: &[NodeId] = if shifted { &[] } else { &supply.via };
            let route = planner.route(from, supply.to, via, avoid);
            convoys.push(ConvoyPlan {
                supply: Some(SupplyId(s as u32)),
                demand: supply.demand,
                depart,
                route,
                trucks: supply.trucks_per_convoy,
                truck_litres: litres(supply.truck_m3),
                escorted: supply.escorted,
                shifted,
                key: derive(name_key(&supply.name), k as u64),
            });
        }
        convoys.sort_by(|a, b| a.supply.cmp(&b.supply).then(a.depart.total_cmp(&b.depart)));
        for c in &scenario.convoys {
            let known = if avoiding { planner.known(c.day) } else { Vec::new() };
            convoys.push(ConvoyPlan {
                supply: None,
                demand: c.demand,
                depart: c.day,
                route: planner.route(c.from, c.to, &c.via, &known),
                trucks: c.trucks,
                truck_litres: litres(c.truck_m3),
                escorted: c.escorted,
                shifted: false,
                key: derive(name_key(&format!("convoy:{}", c.name)), 0),
            });
        }
        Dispatch { convoys, routes: planner.routes, static_routes }
    }
}

fn blocked(scenario: &Scenario, known: &[bool], on_site: impl Fn(&Blockade) -> bool) -> bool {
    scenario.blockades.iter().zip(known).any(|(b, &k)| k && on_site(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blockade::BlockadeId;
    use crate::network::test_util::network;
    use crate::network::{EdgeId, NodeId};
    use crate::scenario::test_util::scenario;

    /// a –100 km– b (1 day delay) –200 km– c, and a detour a –300– d –300– c. Speed 100 km/day.
    fn net() -> crate::network::Network {
        network(
            &[("a", 0.0), ("b", 1.0), ("c", 0.0), ("d", 0.0)],
            &[("a", "b", 100.0), ("b", "c", 200.0), ("a", "d", 300.0), ("d", "c", 300.0)],
        )
    }

    const SUPPLY: &str = "[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 0\n\
        [[supply]]\nname = \"s\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 10\ntruck_m3 = 1\n\
        end_day = 10\n";

    fn events(extra: &str, run: u64) -> Vec<Vec<Event>> {
        let s = scenario(net(), 20, &format!("{SUPPLY}{extra}"));
        let router = Router::new(&s.network, &s.simulation);
        let dispatch = Dispatch::plan(&s, &router);
        let movement = Movement::new(&s, &router, &dispatch.routes);
        dispatch
            .convoys
            .iter()
            .map(|c| {
                let mut out = Vec::new();
                movement
                    .travel(c, crate::rng::run_key(1, run), c.escorted, &mut Scratch::default(), &mut |e| out.push(e));
                out
            })
            .collect()
    }

    fn arrival(events: &[Event]) -> Option<(f64, u32)> {
        events.iter().find_map(|e| match e {
            Event::Arrive { t, trucks } => Some((*t, *trucks)),
            _ => None,
        })
    }

    #[test]
    fn nominal_trip_is_edges_plus_delays() {
        let ev = events("", 0);
        assert_eq!(ev.len(), 10, "one convoy a day for 10 days");
        // 1 day a–b, 1 day wait at b, 2 days b–c.
        assert_eq!(arrival(&ev[3]), Some((3.0 + 4.0, 10)));
        assert_eq!(ev[0][0], Event::Edge { edge: EdgeId(0), t: 0.0, trucks: 10, spacing: 0.0 });
        assert_eq!(ev[0][1], Event::Edge { edge: EdgeId(1), t: 2.0, trucks: 10, spacing: 0.0 });
    }

    #[test]
    fn certain_total_attack_ends_the_convoy_only_while_active() {
        let b = "[[blockade]]\nname = \"x\"\nnode = \"b\"\nstart_day = 4\nend_day = 6\nattack_prob = 1\n";
        let ev = events(b, 0);
        // Convoys meet b at depart + 1: those leaving on days 3 and 4 are destroyed there.
        for (k, e) in ev.iter().enumerate() {
            let hit = (3..=4).contains(&k);
            assert_eq!(arrival(e).is_none(), hit, "convoy {k}: {e:?}");
            if hit {
                let attack = Event::Attack {
                    by: Assailant::Blockade(BlockadeId(0)),
                    site: SiteRef::Node(NodeId(1)),
                    t: k as f64 + 1.0,
                    trucks_lost: 10,
                };
                assert_eq!(e.last(), Some(&attack));
            }
        }
    }

    #[test]
    fn survivors_are_held_and_blockades_on_one_site_are_met_in_order() {
        let b = "[[blockade]]\nname = \"x\"\nedge = [\"c\", \"b\"]\nattack_prob = 1\ntruck_loss_prob = 0\nhold_days = 2.5\n\
                 [[blockade]]\nname = \"y\"\nedge = [\"b\", \"c\"]\nattack_prob = 1\ntruck_loss_prob = 0\nhold_days = 1\n";
        let ev = events(b, 0);
        assert_eq!(arrival(&ev[0]), Some((4.0 + 2.5 + 1.0, 10)));
        let attacks: Vec<_> = ev[0].iter().filter(|e| matches!(e, Event::Attack { .. })).collect();
        assert_eq!(
            attacks[0],
            &Event::Attack {
                by: Assailant::Blockade(BlockadeId(0)),
                site: SiteRef::Edge(EdgeId(1)),
                t: 2.0,
                trucks_lost: 0
            }
        );
        assert_eq!(
            attacks[1],
            &Event::Attack {
                by: Assailant::Blockade(BlockadeId(1)),
                site: SiteRef::Edge(EdgeId(1)),
                t: 4.5,
                trucks_lost: 0
            }
        );
    }

    #[test]
    fn escorts_scale_the_attack_probability() {
        let b = "[[blockade]]\nname = \"x\"\nnode = \"b\"\nend_day = 20\nattack_prob = 1\nescort_factor = 0\n";
        assert!(events(b, 0).iter().all(|e| arrival(e).is_none()), "unescorted: always attacked");
        let escorted = SUPPLY.replace("truck_m3 = 1\n", "truck_m3 = 1\nescorted = true\n");
        let s = scenario(net(), 20, &format!("{escorted}{b}"));
        let router = Router::new(&s.network, &s.simulation);
        let d = Dispatch::plan(&s, &router);
        let m = Movement::new(&s, &router, &d.routes);
        let mut arrived = 0;
        for c in &d.convoys {
            m.travel(c, 7, c.escorted, &mut Scratch::default(), &mut |e| {
                arrived += u32::from(matches!(e, Event::Arrive { .. }))
            });
        }
        assert_eq!(arrived, 10, "escorted: attack_prob × 0, never attacked");
    }

    #[test]
    fn avoid_routes_around_known_blockades_after_the_detection_delay() {
        let b = "[[blockade]]\nname = \"x\"\nnode = \"b\"\nstart_day = 2\nend_day = 6\nattack_prob = 0\n\
                 [routing]\npolicy = \"avoid\"\ndetection_delay_days = 1\n";
        let s = scenario(net(), 10, &format!("{SUPPLY}{b}"));
        let router = Router::new(&s.network, &s.simulation);
        let d = Dispatch::plan(&s, &router);
        let via: Vec<NodeId> = d.convoys.iter().map(|c| d.routes[c.route as usize].nodes[1]).collect();
        let (b, dd) = (NodeId(1), NodeId(3));
        assert_eq!(via, vec![b, b, b, dd, dd, dd, b, b, b, b], "known from day 3 to day 6");
        assert_eq!(d.routes.len(), 2);
    }

    #[test]
    fn avoid_falls_back_to_the_static_route_when_cut_off() {
        let b = "[[blockade]]\nname = \"x\"\nnode = \"b\"\nattack_prob = 0\n\
                 [[blockade]]\nname = \"y\"\nnode = \"d\"\nattack_prob = 0\n[routing]\npolicy = \"avoid\"\n";
        let s = scenario(net(), 3, &format!("{SUPPLY}{b}"));
        let router = Router::new(&s.network, &s.simulation);
        let d = Dispatch::plan(&s, &router);
        assert!(d.convoys.iter().all(|c| d.routes[c.route as usize].nodes[1] == NodeId(1)));
    }

    #[test]
    fn travel_time_factor_has_mean_one() {
        let mut s = scenario(net(), 100, &SUPPLY.replace("end_day = 10", "end_day = 1"));
        s.simulation.travel_time_cv = 0.5;
        let router = Router::new(&s.network, &s.simulation);
        let d = Dispatch::plan(&s, &router);
        let m = Movement::new(&s, &router, &d.routes);
        let n = 40_000;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for run in 0..n {
            let mut t = 0.0;
            m.travel(
                &d.convoys[0],
                crate::rng::run_key(9, run),
                d.convoys[0].escorted,
                &mut Scratch::default(),
                &mut |e| {
                    if let Event::Arrive { t: a, .. } = e {
                        t = a;
                    }
                },
            );
            // 1 day wait at b is fixed; the two edges (1 and 2 days) are random.
            let travel = t - 1.0;
            sum += travel;
            sum_sq += travel * travel;
        }
        let mean = sum / n as f64;
        let sd = (sum_sq / n as f64 - mean * mean).sqrt();
        // Mean 3; sd sqrt(1² + 2²) × 0.5 = 1.118.
        assert!((mean - 3.0).abs() < 4.0 * sd / (n as f64).sqrt(), "mean {mean}");
        assert!((sd - 1.118).abs() < 0.03, "sd {sd}");
    }
}
