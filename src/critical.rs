//! Critical sites: which nodes and roads, blockaded, most worsen a city's shortage. Every
//! candidate site gets a blockade of a given strength for the whole horizon; each variant is run
//! with common random numbers against the scenario as it is, and ranked by the increase in the
//! target's expected unmet demand (then in P(shortage)). Single sites are all evaluated; for two
//! sites every pair is; beyond, sites are added greedily to the best set so far.
//!
//! Only sites on a route to the target can matter: a blockade elsewhere is met by no convoy bound
//! for it and, under `avoid` routing, moves no route (a least-cost route that does not pass a
//! site is still least-cost when the site is avoided too). So candidates are the sites on the
//! target's routes in the scenario and, for larger sets, in the variants already run. Supply
//! origins (ports, loading depots) are not candidates: they are where fuel is loaded, not a
//! place on the way.

use crate::blockade::{Blockade, Site};
use crate::network::Network;
use crate::scenario::Scenario;
use crate::sim::{Model, simulate_summaries};
use crate::stats::{DemandSummary, Difference, Metric};
use std::collections::BTreeSet;

/// The blockade put on each candidate site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength {
    pub attack_prob: f64,
    pub truck_loss_prob: f64,
    pub hold_days: f64,
}

impl Default for Strength {
    /// A total blockade: every convoy is attacked and loses every truck.
    fn default() -> Self {
        Strength { attack_prob: 1.0, truck_loss_prob: 1.0, hold_days: 0.0 }
    }
}

/// A set of sites and what blockading them does to the target.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub sites: Vec<Site>,
    /// The target's outcomes with these sites blockaded.
    pub summary: DemandSummary,
    /// Increase in the target's unmet demand over the scenario as it is (m³).
    pub unmet: Difference,
    /// Increase in the target's P(shortage).
    pub shortage: Difference,
}

/// The result of a search.
#[derive(Debug, Clone)]
pub struct Search {
    /// The target's outcomes in the scenario as it is.
    pub base: DemandSummary,
    /// Every candidate site alone, best first.
    pub singles: Vec<Evaluation>,
    /// With k ≥ 2: every pair of candidates, best first.
    pub pairs: Vec<Evaluation>,
    /// With k ≥ 3: the best set of each size from 3 to k, each the best of size − 1 plus one site.
    pub greedy: Vec<Evaluation>,
    /// Nodes and roads that are not candidates: on no route to the target, or supply origins.
    pub idle_sites: usize,
    /// Runs behind every estimate.
    pub runs: u64,
}

/// Models run together in one pass (with the scenario as it is, first, in each).
pub const CHUNK: usize = 48;

/// A readable label of a set of sites: `kayes`, `kati–bamako`, `kayes + kati–bamako`.
pub fn label(network: &Network, sites: &[Site]) -> String {
    sites
        .iter()
        .map(|s| match *s {
            Site::Node(n) => network.node(n).id.clone(),
            Site::Edge(a, b) => format!("{}–{}", network.node(a).id, network.node(b).id),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The sites on the routes of the convoys bound for demand `target`: nodes other than the
/// target and the supply origins, then roads. (Convoys to other cities do not interact with
/// these, so a blockade on their roads alone changes nothing at the target.)
fn route_sites(scenario: &Scenario, model: &Model, target: usize) -> BTreeSet<SiteKey> {
    let target_node = scenario.demands[target].node;
    let origins: BTreeSet<u32> = scenario.supplies.iter().map(|s| s.from.0).collect();
    let routes: BTreeSet<u32> =
        model.dispatch.convoys.iter().filter(|c| c.demand.index() == target).map(|c| c.route).collect();
    let mut sites = BTreeSet::new();
    for route in routes.iter().map(|&r| &model.dispatch.routes[r as usize]) {
        for &n in &route.nodes {
            if n != target_node && !origins.contains(&n.0) {
                sites.insert(SiteKey::Node(n.0));
            }
        }
        for &e in &route.edges {
            let edge = scenario.network.edge(e);
            sites.insert(SiteKey::Edge(edge.from.0.min(edge.to.0), edge.from.0.max(edge.to.0)));
        }
    }
    sites
}

/// A site with an order (nodes first, by index; then node pairs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum SiteKey {
    Node(u32),
    Edge(u32, u32),
}

impl SiteKey {
    fn site(self) -> Site {
        use crate::network::NodeId;
        match self {
            SiteKey::Node(n) => Site::Node(NodeId(n)),
            SiteKey::Edge(a, b) => Site::Edge(NodeId(a), NodeId(b)),
        }
    }
}

/// The scenario with a blockade of `strength` on each of `sites`.
fn variant(base: &Scenario, sites: &[Site], strength: Strength) -> Scenario {
    let mut s = base.clone();
    for &site in sites {
        s.blockades.push(Blockade {
            // The name keys the attack draws: the same site draws the same numbers in every set.
            name: format!("critical:{}", label(&base.network, &[site])),
            site,
            start_day: 0.0,
            end_day: base.simulation.horizon(),
            attack_prob: strength.attack_prob,
            escort_factor: 1.0,
            truck_loss_prob: strength.truck_loss_prob,
            hold_days: strength.hold_days,
        });
    }
    s
}

/// Runs every set of sites against the scenario as it is; returns them in the order given.
pub fn evaluate(
    base: &Scenario,
    target: usize,
    sets: &[Vec<Site>],
    strength: Strength,
    pool: &rayon::ThreadPool,
    on_progress: &(dyn Fn(u64) + Sync),
) -> (DemandSummary, Vec<Evaluation>) {
    let (seed, runs) = (base.simulation.seed, base.simulation.runs);
    let base_model = Model::new(base);
    let mut base_summary = None;
    let mut out = Vec::with_capacity(sets.len());
    for chunk in sets.chunks(CHUNK) {
        let models: Vec<Model> = chunk.iter().map(|sites| Model::new(&variant(base, sites, strength))).collect();
        let refs: Vec<&Model> = std::iter::once(&base_model).chain(&models).collect();
        let batch = simulate_summaries(&refs, seed, runs, pool, on_progress);
        base_summary.get_or_insert_with(|| batch.accs[0].demand(target));
        for (i, sites) in chunk.iter().enumerate() {
            let m = i + 1;
            let none = Difference { mean: 0.0, ci95: 0.0, ci95_unpaired: 0.0 };
            out.push(Evaluation {
                sites: sites.clone(),
                summary: batch.accs[m].demand(target),
                unmet: batch.paired.difference(m, target, Metric::Unmet).unwrap_or(none),
                shortage: batch.paired.difference(m, target, Metric::Shortage).unwrap_or(none),
            });
        }
    }
    let base_summary = base_summary.unwrap_or_else(|| {
        let batch = simulate_summaries(&[&base_model], seed, runs, pool, on_progress);
        batch.accs[0].demand(target)
    });
    (base_summary, out)
}

/// Best first: larger increase in unmet demand, then in P(shortage); ties keep their order.
fn rank(list: &mut [Evaluation]) {
    list.sort_by(|a, b| b.unmet.mean.total_cmp(&a.unmet.mean).then(b.shortage.mean.total_cmp(&a.shortage.mean)));
}

/// The candidate sites of a scenario: those on its routes (the target excepted), nodes first.
pub fn candidates(base: &Scenario, target: usize) -> Vec<Site> {
    route_sites(base, &Model::new(base), target).into_iter().map(SiteKey::site).collect()
}

/// The sets a search evaluates in one pass, known before any simulation: every candidate site
/// alone, then (k ≥ 2) every pair of the sites on the routes of any single-site variant.
/// Evaluations do not depend on which sets are run together, so a plan can be split over
/// shards by set.
#[derive(Debug, Clone)]
pub struct Plan {
    pub singles: Vec<Vec<Site>>,
    pub pairs: Vec<Vec<Site>>,
    /// The sites sets are made of beyond singles.
    pool_sites: Vec<Site>,
    pub idle_sites: usize,
}

impl Plan {
    /// Singles, then pairs.
    pub fn sets(&self) -> impl Iterator<Item = &Vec<Site>> {
        self.singles.iter().chain(&self.pairs)
    }

    pub fn len(&self) -> usize {
        self.singles.len() + self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The sets to evaluate for a search of up to `k` sites (pairs only with k ≥ 2).
pub fn plan(base: &Scenario, target: usize, k: usize, strength: Strength) -> Plan {
    let all_sites = base.network.nodes().len() - 1 + base.network.edges().len();
    let singles: Vec<Vec<Site>> = candidates(base, target).into_iter().map(|s| vec![s]).collect();
    let idle_sites = all_sites.saturating_sub(singles.len());
    let mut pool_sites = Vec::new();
    let mut pairs = Vec::new();
    if k >= 2 {
        // Candidates for sets: the sites on any route of any single-site variant.
        let mut keys = BTreeSet::new();
        for set in &singles {
            let v = variant(base, set, strength);
            keys.extend(route_sites(&v, &Model::new(&v), target));
        }
        pool_sites = keys.into_iter().map(SiteKey::site).collect();
        pairs = (0..pool_sites.len())
            .flat_map(|i| (i + 1..pool_sites.len()).map(move |j| (i, j)))
            .map(|(i, j)| vec![pool_sites[i], pool_sites[j]])
            .collect();
    }
    Plan { singles, pairs, pool_sites, idle_sites }
}

/// The search of a plan from the evaluation of each of its sets, in plan order (singles and
/// pairs ranked, best first).
pub fn assemble(plan: &Plan, base: DemandSummary, mut evaluations: Vec<Evaluation>, runs: u64) -> Search {
    let mut pairs = evaluations.split_off(plan.singles.len().min(evaluations.len()));
    let mut singles = evaluations;
    rank(&mut singles);
    rank(&mut pairs);
    Search { base, singles, pairs, greedy: Vec::new(), idle_sites: plan.idle_sites, runs }
}

/// Ranks sites by how much blockading them worsens the shortage at demand `target`.
pub fn search(
    base: &Scenario,
    target: usize,
    k: usize,
    strength: Strength,
    pool: &rayon::ThreadPool,
    on_progress: &(dyn Fn(u64) + Sync),
) -> Search {
    let plan = plan(base, target, k, strength);
    let sets: Vec<Vec<Site>> = plan.sets().cloned().collect();
    let (base_summary, evaluations) = evaluate(base, target, &sets, strength, pool, on_progress);
    let mut search = assemble(&plan, base_summary, evaluations, base.simulation.runs);
    let mut best: Option<Vec<Site>> = search.pairs.first().map(|e| e.sites.clone());
    for _ in 3..=k {
        let Some(current) = best.clone() else { break };
        let next: Vec<Vec<Site>> = plan
            .pool_sites
            .iter()
            .filter(|s| !current.contains(s))
            .map(|&s| current.iter().copied().chain(std::iter::once(s)).collect())
            .collect();
        if next.is_empty() {
            break;
        }
        let mut round = evaluate(base, target, &next, strength, pool, on_progress).1;
        rank(&mut round);
        best = round.first().map(|e| e.sites.clone());
        search.greedy.extend(round.into_iter().take(1));
    }
    search
}
