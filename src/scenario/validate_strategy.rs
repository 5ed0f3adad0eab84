//! Validation of the attacker and defender keys of a scenario: `[[attacker]]` and `[escorts]`.

use super::file::{AttackerFile, AttackerPolicyFile, EscortsFile, ScenarioFile, SiteFile};
use super::validate::{Context, ScenarioError};
use super::{EscortPool, Origin, Supply};
use crate::attacker::{Attacker, AttackerPolicy};
use crate::blockade::Site;
use crate::input::Range;
use crate::network::Network;
use std::collections::HashMap;
use toml::Spanned;

impl Context<'_> {
    pub(super) fn attacker(
        &self,
        net: &Network,
        spanned: &Spanned<AttackerFile>,
        horizon: f64,
        names: &mut HashMap<String, usize>,
    ) -> Result<Attacker, ScenarioError> {
        let a = spanned.get_ref();
        let name = self.entry_name("attacker", &a.name, names)?;
        let field = |k: &str| format!("attacker.{name}.{k}");
        let list = &a.candidates;
        let mut candidates = Vec::new();
        for site in list.get_ref() {
            let site = match site {
                SiteFile::Node(id) => Site::Node(net.node_id(id).ok_or_else(|| {
                    self.invalid(list, &field("candidates"), format!("unknown node id `{id}` (not in nodes.csv)"))
                })?),
                SiteFile::Edge(ids) => self.road(net, ids, list, &field("candidates"))?,
            };
            if candidates.contains(&site) {
                return Err(self.invalid(list, &field("candidates"), "a site is listed twice".into()));
            }
            candidates.push(site);
        }
        if candidates.is_empty() {
            return Err(self.invalid(list, &field("candidates"), "expected at least one site".into()));
        }
        let sites = a.sites.as_ref().map_or(1, |s| *s.get_ref()) as usize;
        if sites == 0 || sites > candidates.len() {
            let msg = format!("expected 1 to {} (the number of candidates), found {sites}", candidates.len());
            return Err(match &a.sites {
                Some(at) => self.invalid(at, &field("sites"), msg),
                None => self.invalid(list, &field("sites"), msg),
            });
        }
        let policy = match a.policy.as_ref().map(|p| *p.get_ref()) {
            None | Some(AttackerPolicyFile::Static) => AttackerPolicy::Static,
            Some(AttackerPolicyFile::Rotating) => AttackerPolicy::Rotating,
            Some(AttackerPolicyFile::Adaptive) => AttackerPolicy::Adaptive,
        };
        let period_days = match (&a.period_days, policy) {
            (_, AttackerPolicy::Static) => f64::INFINITY,
            (Some(p), _) => self.number(p, &field("period_days"), super::limits::PERIOD_DAYS)?,
            (None, _) => {
                let msg = "a rotating or adaptive attacker needs period_days".to_string();
                return Err(self.invalid(spanned, &field("period_days"), msg));
            }
        };
        let (start_day, end_day) = self.window(&field, &a.start_day, &a.end_day, horizon)?;
        Ok(Attacker {
            candidates,
            sites,
            policy,
            period_days,
            detection_lag_days: self.optional(
                &a.detection_lag_days,
                &field("detection_lag_days"),
                Range::NON_NEGATIVE,
                0.0,
            )?,
            start_day,
            end_day,
            attack_prob: self.number(&a.attack_prob, &field("attack_prob"), Range::PROBABILITY)?,
            escort_factor: self.optional(&a.escort_factor, &field("escort_factor"), Range::PROBABILITY, 1.0)?,
            truck_loss_prob: self.optional(&a.truck_loss_prob, &field("truck_loss_prob"), Range::PROBABILITY, 1.0)?,
            hold_days: self.optional(&a.hold_days, &field("hold_days"), Range::NON_NEGATIVE, 0.0)?,
            name,
        })
    }

    /// `[[origin]]` entries, with their spare capacity; every `shift_to` needs one with some.
    pub(super) fn origins(
        &self,
        net: &Network,
        f: &ScenarioFile,
        supplies: &[Supply],
    ) -> Result<Vec<Origin>, ScenarioError> {
        let mut origins: Vec<Origin> = Vec::new();
        for o in &f.origin {
            let o = o.get_ref();
            let node = self.node(net, &o.node, "origin.node")?;
            if origins.iter().any(|x| x.node == node) {
                return Err(self.invalid(
                    &o.node,
                    "origin.node",
                    format!("`{}` has two [[origin]] entries", o.node.get_ref()),
                ));
            }
            let field = format!("origin.{}.capacity_convoys_per_day", o.node.get_ref());
            let capacity = self.number(&o.capacity_convoys_per_day, &field, Range::POSITIVE)?;
            let own: f64 = supplies.iter().filter(|s| s.from == node).map(|s| s.convoys_per_day).sum();
            origins.push(Origin { node, capacity_convoys_per_day: capacity, spare_convoys_per_day: capacity - own });
        }
        for (s, file) in supplies.iter().zip(&f.supply) {
            let (Some(shift), Some(at)) = (s.shift, &file.get_ref().shift_to) else { continue };
            let field = format!("supply.{}.shift_to", s.name);
            match origins.iter().find(|o| o.node == shift.to) {
                None => {
                    let msg = format!("`{}` has no [[origin]] entry (its capacity_convoys_per_day)", at.get_ref());
                    return Err(self.invalid(at, &field, msg));
                }
                Some(o) if o.spare_convoys_per_day <= 0.0 => {
                    let msg = format!(
                        "`{}` has no spare capacity: {} convoys a day, all used by its own streams",
                        at.get_ref(),
                        o.capacity_convoys_per_day
                    );
                    return Err(self.invalid(at, &field, msg));
                }
                Some(_) => {}
            }
        }
        Ok(origins)
    }

    pub(super) fn escorts(
        &self,
        spanned: &Spanned<EscortsFile>,
        supplies: &[Supply],
    ) -> Result<EscortPool, ScenarioError> {
        let e = spanned.get_ref();
        let units = *e.units.get_ref();
        if units == 0 || units > super::limits::MAX_ESCORT_UNITS {
            let msg = format!("expected 1 to {} units, found {units}", super::limits::MAX_ESCORT_UNITS);
            return Err(self.invalid(&e.units, "escorts.units", msg));
        }
        let uses = match &e.supplies {
            None => vec![true; supplies.len()],
            Some(list) => {
                let mut uses = vec![false; supplies.len()];
                for name in list.get_ref() {
                    let i = supplies.iter().position(|s| &s.name == name).ok_or_else(|| {
                        self.invalid(list, "escorts.supplies", format!("no [[supply]] named `{name}`"))
                    })?;
                    uses[i] = true;
                }
                uses
            }
        };
        let start_day = self.optional_day(&e.start_day, "escorts.start_day", 0.0, f64::INFINITY, 0.0)?;
        Ok(EscortPool { units, uses, start_day })
    }
}

#[cfg(test)]
mod tests {
    use crate::attacker::AttackerPolicy;
    use crate::network::test_util::network;
    use crate::scenario::{ScenarioError, parse_scenario};
    use std::path::Path;

    const HEAD: &str = "name = \"t\"\nnetwork = \"mem\"\n[simulation]\nhorizon_days = 30\nruns = 10\nseed = 1\n\
        [[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 10\ninitial_stock_m3 = 50\n\
        [[supply]]\nname = \"s\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 3\ntruck_m3 = 45\n";

    fn parse(rest: &str) -> Result<crate::scenario::Scenario, ScenarioError> {
        let net = network(
            &[("a", 0.0), ("b", 0.0), ("c", 0.0), ("d", 0.0)],
            &[("a", "b", 10.0), ("b", "c", 10.0), ("d", "c", 5.0)],
        );
        parse_scenario(&format!("{HEAD}{rest}"), Path::new("s.toml"), |_| Ok(net))
    }

    fn error(rest: &str) -> String {
        parse(rest).map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn attackers_are_parsed_and_checked() {
        let a = "[[attacker]]\nname = \"j\"\ncandidates = [\"b\", [\"a\", \"b\"]]\nsites = 2\npolicy = \"rotating\"\nperiod_days = 7\nattack_prob = 0.5\n";
        let s = parse(a).unwrap();
        assert_eq!(s.attackers[0].policy, AttackerPolicy::Rotating);
        assert_eq!(s.attackers[0].candidates.len(), 2);
        assert_eq!(s.attackers[0].truck_loss_prob, 1.0);
        let e = error(&a.replace("period_days = 7\n", ""));
        assert!(e.contains("attacker.j.period_days: a rotating or adaptive attacker needs period_days"), "{e}");
        let e = error(&a.replace("sites = 2", "sites = 3"));
        assert!(e.contains("attacker.j.sites: expected 1 to 2 (the number of candidates), found 3"), "{e}");
        let e = error(&a.replace("[\"a\", \"b\"]", "[\"a\", \"c\"]"));
        assert!(e.contains("attacker.j.candidates: no road joins `a` and `c`"), "{e}");
        let e = error(&a.replace("[\"a\", \"b\"]", "\"b\""));
        assert!(e.contains("a site is listed twice"), "{e}");
        let e = error(&a.replace("policy = \"rotating\"", "policy = \"clever\""));
        assert!(
            e.contains("attacker.j.policy: expected one of \"static\", \"rotating\", \"adaptive\", found \"clever\""),
            "{e}"
        );
    }

    #[test]
    fn escorts_name_existing_supplies() {
        assert_eq!(parse("[escorts]\nunits = 2\n").unwrap().escorts.unwrap().uses, vec![true]);
        let e = error("[escorts]\nunits = 2\nsupplies = [\"nope\"]\n");
        assert!(e.contains("escorts.supplies: no [[supply]] named `nope`"), "{e}");
        let e = error("[escorts]\nunits = 0\n");
        assert!(e.contains("escorts.units: expected 1 to 100000 units, found 0"), "{e}");
    }

    #[test]
    fn rationing_reserve_and_shift_keys_come_in_pairs() {
        let with = |extra: &str| HEAD.replace("initial_stock_m3 = 50\n", &format!("initial_stock_m3 = 50\n{extra}"));
        let net = || {
            network(
                &[("a", 0.0), ("b", 0.0), ("c", 0.0), ("d", 0.0)],
                &[("a", "b", 10.0), ("b", "c", 10.0), ("d", "c", 5.0)],
            )
        };
        let e = parse_scenario(&with("rationing_factor = 0.5\n"), Path::new("s.toml"), |_| Ok(net()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("demand.c.rationing_factor: needs rationing_below_days too"), "{e}");
        let s = parse_scenario(
            &with("rationing_factor = 0.5\nrationing_below_days = 2\nreserve_m3 = 100\n"),
            Path::new("s.toml"),
            |_| Ok(net()),
        )
        .unwrap();
        let d = &s.demands[0];
        assert_eq!(d.rationing.unwrap().below_m3, 20.0, "2 days of 10 m³");
        assert_eq!(d.reserve.unwrap().release_below_m3, 0.0);
        let shift = "[[origin]]\nnode = \"d\"\ncapacity_convoys_per_day = 2\n";
        let s = parse(shift).unwrap();
        assert_eq!(s.origins[0].spare_convoys_per_day, 2.0);
        let supply_shift = |extra: &str| HEAD.replace("truck_m3 = 45\n", &format!("truck_m3 = 45\n{extra}"));
        let e = parse_scenario(&supply_shift("shift_to = \"d\"\n"), Path::new("s.toml"), |_| Ok(net()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("supply.s.shift_to: `d` has no [[origin]] entry"), "{e}");
        let e = parse_scenario(&supply_shift("shift_share = 0.5\n"), Path::new("s.toml"), |_| Ok(net()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("supply.s.shift_share: needs shift_to too"), "{e}");
        let s = parse_scenario(
            &format!("{}{shift}", supply_shift("shift_to = \"d\"\nshift_share = 0.5\n")),
            Path::new("s.toml"),
            |_| Ok(net()),
        )
        .unwrap();
        assert_eq!(s.supplies[0].shift.unwrap().share, 0.5);
    }
}
