//! Validation of the keys that place events in time: scheduled convoys (`[[convoy]]`), the
//! `via` lists that force a route through given nodes, and drivers who refuse a road after
//! attacks (`[deterrence]`).

use super::file::{ConvoyFile, DeterrenceFile};
use super::validate::{Context, ScenarioError};
use super::{DemandId, Deterrence, ScheduledConvoy, Simulation, Supply};
use crate::input::Range;
use crate::network::{Network, NodeId};
use crate::routing::Router;
use std::collections::HashMap;
use toml::Spanned;

/// The most trucks in one scheduled convoy (the 12–21 Jan 2026 deliveries were 1,192 tankers).
const MAX_CONVOY_TRUCKS: u32 = 100_000;

impl Context<'_> {
    /// A `via` list: known node ids, none equal to its neighbour in the list, to `from` or to
    /// `to`.
    pub(super) fn via(
        &self,
        net: &Network,
        list: &Option<Spanned<Vec<String>>>,
        (from, to): (NodeId, NodeId),
        field: &str,
    ) -> Result<Vec<NodeId>, ScenarioError> {
        let Some(list) = list else { return Ok(Vec::new()) };
        let mut via = Vec::new();
        for id in list.get_ref() {
            let node = net.node_id(id).ok_or_else(|| {
                self.invalid(list, field, format!("unknown node id `{}` (not in nodes.csv)", crate::input::clip(id)))
            })?;
            if node == from || node == to {
                let msg = format!("`{id}` is the route's own `from` or `to`; list only the nodes in between");
                return Err(self.invalid(list, field, msg));
            }
            if via.last() == Some(&node) {
                return Err(self.invalid(list, field, format!("`{id}` is listed twice in a row")));
            }
            via.push(node);
        }
        Ok(via)
    }

    /// Checks that every leg of a route through `via` exists in the network.
    pub(super) fn legs_exist<T>(
        &self,
        router: &Router,
        (from, via, to): (NodeId, &[NodeId], NodeId),
        at: &Spanned<T>,
        field: &str,
    ) -> Result<(), ScenarioError> {
        let stops: Vec<NodeId> = std::iter::once(from).chain(via.iter().copied()).chain([to]).collect();
        for leg in stops.windows(2) {
            if router.route(leg[0], leg[1], |_| false, |_| false).is_none() {
                let net = router.network();
                let (a, z) = (&net.node(leg[0]).id, &net.node(leg[1]).id);
                return Err(self.invalid(at, field, format!("no route from `{a}` to `{z}` in the network")));
            }
        }
        Ok(())
    }

    pub(super) fn convoy(
        &self,
        net: &Network,
        spanned: &Spanned<ConvoyFile>,
        sim: &Simulation,
        demand_of: &HashMap<NodeId, (DemandId, usize)>,
        names: &mut HashMap<String, usize>,
    ) -> Result<ScheduledConvoy, ScenarioError> {
        let c = spanned.get_ref();
        let name = self.entry_name("convoy", &c.name, names)?;
        let field = |k: &str| format!("convoy.{name}.{k}");
        let from = self.node(net, &c.from, &field("from"))?;
        let to = self.node(net, &c.to, &field("to"))?;
        if from == to {
            return Err(self.invalid(&c.to, &field("to"), "must differ from `from`".into()));
        }
        let demand = demand_of.get(&to).map(|&(d, _)| d).ok_or_else(|| {
            let msg = format!("`{}` has no [[demand]] entry (a convoy must end at a demand node)", c.to.get_ref());
            self.invalid(&c.to, &field("to"), msg)
        })?;
        let horizon = sim.horizon();
        let day = self.day(&c.day, &field("day"), -sim.warm_up_days, f64::INFINITY)?;
        if day >= horizon {
            let msg = format!("expected a departure before the horizon (day {horizon}), found day {day}");
            return Err(self.invalid(&c.day, &field("day"), msg));
        }
        let trucks = *c.trucks.get_ref();
        if trucks == 0 || trucks > MAX_CONVOY_TRUCKS {
            let msg = format!("expected a whole number of trucks from 1 to {MAX_CONVOY_TRUCKS}, found {trucks}");
            return Err(self.invalid(&c.trucks, &field("trucks"), msg));
        }
        Ok(ScheduledConvoy {
            from,
            to,
            demand,
            day,
            trucks,
            truck_m3: self.number(&c.truck_m3, &field("truck_m3"), Range::POSITIVE)?,
            escorted: c.escorted.as_ref().is_some_and(|e| *e.get_ref()),
            via: self.via(net, &c.via, (from, to), &field("via"))?,
            name,
        })
    }

    pub(super) fn deterrence(
        &self,
        spanned: &Spanned<DeterrenceFile>,
        supplies: &[Supply],
    ) -> Result<Deterrence, ScenarioError> {
        let d = spanned.get_ref();
        let applies = match &d.supplies {
            None => vec![true; supplies.len()],
            Some(list) => {
                let mut applies = vec![false; supplies.len()];
                for name in list.get_ref() {
                    let i = supplies.iter().position(|s| &s.name == name).ok_or_else(|| {
                        let msg = format!("no [[supply]] named `{}`", crate::input::clip(name));
                        self.invalid(list, "deterrence.supplies", msg)
                    })?;
                    applies[i] = true;
                }
                applies
            }
        };
        Ok(Deterrence {
            per_attack: self.number(&d.per_attack, "deterrence.per_attack", Range::PROBABILITY)?,
            recovery_days: self.number(&d.recovery_days, "deterrence.recovery_days", Range::POSITIVE)?,
            floor: self.optional(&d.floor, "deterrence.floor", Range::PROBABILITY, 0.0)?,
            applies,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::network::test_util::network;
    use crate::scenario::parse_scenario;
    use std::path::Path;

    const HEAD: &str = "name = \"t\"\nnetwork = \"mem\"\n[simulation]\nhorizon_days = 30\nruns = 10\nseed = 1\n\
        warm_up_days = 4\n[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 10\ninitial_stock_m3 = 50\n\
        [[supply]]\nname = \"s\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 3\ntruck_m3 = 45\n";
    const CONVOY: &str =
        "[[convoy]]\nname = \"relief\"\nfrom = \"a\"\nto = \"c\"\nday = 3\ntrucks = 300\ntruck_m3 = 45\n";

    fn parse(rest: &str) -> Result<crate::scenario::Scenario, String> {
        let net = network(
            &[("a", 0.0), ("b", 0.0), ("c", 0.0), ("d", 0.0), ("z", 0.0)],
            &[("a", "b", 10.0), ("b", "c", 10.0), ("a", "d", 30.0), ("d", "c", 30.0)],
        );
        parse_scenario(&format!("{HEAD}{rest}"), Path::new("s.toml"), |_| Ok(net)).map_err(|e| e.to_string())
    }

    fn error(rest: &str) -> String {
        parse(rest).map(|_| ()).unwrap_err()
    }

    #[test]
    fn scheduled_convoys_and_via_lists_are_read() {
        let s = parse(&format!("{CONVOY}via = [\"d\"]\nescorted = true\n")).unwrap();
        let c = &s.convoys[0];
        assert_eq!((c.name.as_str(), c.day, c.trucks, c.escorted), ("relief", 3.0, 300, true));
        assert_eq!(c.via, vec![crate::network::NodeId(3)]);
        let s = parse(&CONVOY.replace("day = 3", "day = -4")).unwrap();
        assert_eq!(s.convoys[0].day, -4.0, "down to -warm_up_days");
    }

    #[test]
    fn bad_convoys_name_their_key() {
        let e = error(&CONVOY.replace("day = 3", "day = -4.5"));
        assert_eq!(e, "s.toml:23:7: convoy.relief.day: expected a finite number >= -4, found -4.5");
        let e = error(&CONVOY.replace("day = 3", "day = 30"));
        assert!(e.contains("convoy.relief.day: expected a departure before the horizon (day 30), found day 30"), "{e}");
        let e = error(&format!("{CONVOY}{CONVOY}"));
        assert!(e.contains("convoy.name: duplicate name `relief` (first on line 20)"), "{e}");
        let e = error(&CONVOY.replace("to = \"c\"", "to = \"b\""));
        assert!(e.contains("convoy.relief.to: `b` has no [[demand]] entry"), "{e}");
        let e = error(&CONVOY.replace("trucks = 300", "trucks = 0"));
        assert!(e.contains("convoy.relief.trucks: expected a whole number of trucks from 1"), "{e}");
        let e = error(&CONVOY.replace("day = 3", "day = 2025-09-10"));
        assert!(e.contains("convoy.relief.day: a date (2025-09-10) needs [simulation] start_date"), "{e}");
    }

    #[test]
    fn bad_via_lists_name_their_key() {
        let e = error(&format!("{CONVOY}via = [\"q\"]\n"));
        assert!(e.contains("convoy.relief.via: unknown node id `q` (not in nodes.csv)"), "{e}");
        let e = error(&format!("{CONVOY}via = [\"c\"]\n"));
        assert!(e.contains("convoy.relief.via: `c` is the route's own `from` or `to`"), "{e}");
        let e = error(&format!("{CONVOY}via = [\"d\", \"d\"]\n"));
        assert!(e.contains("convoy.relief.via: `d` is listed twice in a row"), "{e}");
        let e = error(&format!("{CONVOY}via = [\"z\"]\n"));
        assert!(e.contains("convoy.relief.via: no route from `a` to `z` in the network"), "{e}");
        let supply_via = HEAD.replace("truck_m3 = 45\n", "truck_m3 = 45\nvia = [\"z\"]\n");
        let net = network(&[("a", 0.0), ("c", 0.0), ("z", 0.0)], &[("a", "c", 10.0)]);
        let e = parse_scenario(&supply_via, Path::new("s.toml"), |_| Ok(net)).unwrap_err().to_string();
        assert!(e.contains("supply.s.via: no route from `a` to `z`"), "{e}");
    }

    #[test]
    fn deterrence_keys_are_checked() {
        let d = parse("[deterrence]\nper_attack = 0.4\nrecovery_days = 10\n").unwrap().deterrence.unwrap();
        assert_eq!((d.per_attack, d.recovery_days, d.floor, d.applies), (0.4, 10.0, 0.0, vec![true]));
        let e = error("[deterrence]\nper_attack = 1.4\nrecovery_days = 10\n");
        assert!(e.contains("deterrence.per_attack: expected a number from 0 to 1, found 1.4"), "{e}");
        let e = error("[deterrence]\nper_attack = 0.4\nrecovery_days = 0\n");
        assert!(e.contains("deterrence.recovery_days: expected a finite number > 0, found 0"), "{e}");
        let e = error("[deterrence]\nper_attack = 0.4\nrecovery_days = 5\nsupplies = [\"nope\"]\n");
        assert!(e.contains("deterrence.supplies: no [[supply]] named `nope`"), "{e}");
        let e = error("[deterrence]\nper_attack = 0.4\nrecovery_days = 5\nfloor = -1\n");
        assert!(e.contains("deterrence.floor: expected a number from 0 to 1, found -1"), "{e}");
    }
}
