//! Country borders under the network map: Natural Earth's admin-0 countries (1:50m, public
//! domain), cut to a box around West Africa (lon −30…15, lat −5…30) and simplified by
//! `scripts/borders-extract.py`, shipped as `data/borders/west_africa.geojson` and embedded in
//! the binary at compile time, so that nothing is read or fetched at run time. Provenance and
//! licence: `data/borders/SOURCE.md`.

use std::sync::OnceLock;

const GEOJSON: &str = include_str!("../../../data/borders/west_africa.geojson");

/// A country: its name and its polygons (each an outer ring then holes), in (lon, lat).
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub name: String,
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// The borders data: countries (for fills and names), land borders and coasts (lines).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Borders {
    pub countries: Vec<Country>,
    pub borders: Vec<Vec<(f64, f64)>>,
    pub coasts: Vec<Vec<(f64, f64)>>,
}

fn points(v: &serde_json::Value) -> Vec<(f64, f64)> {
    v.as_array()
        .map(|a| a.iter().filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))).collect())
        .unwrap_or_default()
}

fn parse(text: &str) -> Result<Borders, String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("the embedded borders: {e}"))?;
    let features = doc["features"].as_array().ok_or("the embedded borders have no features")?;
    let mut b = Borders::default();
    for f in features {
        let coords = &f["geometry"]["coordinates"];
        match f["properties"]["kind"].as_str() {
            Some("country") => b.countries.push(Country {
                name: f["properties"]["name"].as_str().unwrap_or_default().to_string(),
                polygons: coords
                    .as_array()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| p.as_array().map(|rs| rs.iter().map(points).collect()).unwrap_or_default())
                            .collect()
                    })
                    .unwrap_or_default(),
            }),
            Some("border") => b.borders.push(points(coords)),
            Some("coast") => b.coasts.push(points(coords)),
            _ => return Err("the embedded borders have a feature of unknown kind".into()),
        }
    }
    Ok(b)
}

/// The embedded borders of West Africa, parsed once.
pub fn west_africa() -> Result<&'static Borders, String> {
    static BORDERS: OnceLock<Result<Borders, String>> = OnceLock::new();
    BORDERS.get_or_init(|| parse(GEOJSON)).as_ref().map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::super::geometry::point_in_polygon;
    use super::*;

    #[test]
    fn the_embedded_borders_hold_west_africa() {
        let b = west_africa().unwrap();
        let country = |n: &str| b.countries.iter().find(|c| c.name == n).unwrap_or_else(|| panic!("{n}"));
        for name in ["Mali", "Senegal", "Mauritania", "Guinea", "Côte d'Ivoire", "Burkina Faso", "Niger", "Ghana"] {
            country(name);
        }
        // Bamako is in Mali, Dakar in Senegal, Abidjan in Côte d'Ivoire.
        let inside = |n: &str, p: (f64, f64)| country(n).polygons.iter().any(|poly| point_in_polygon(p, &poly[0]));
        assert!(inside("Mali", (-8.0, 12.64)));
        assert!(inside("Senegal", (-17.0, 14.7)));
        assert!(inside("Côte d'Ivoire", (-4.1, 5.4)));
        assert!(!inside("Mali", (-17.0, 14.7)));
        assert!(b.borders.len() > 20 && b.coasts.len() > 10);
        assert!(parse("{}").is_err());
    }
}
