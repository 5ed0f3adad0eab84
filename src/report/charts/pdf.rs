//! PDF charts: the SVG a chart draws, turned into a one-page PDF by pure-Rust code (usvg reads
//! it, svg2pdf writes it) with the charts' DejaVu Sans embedded (subset), so that no system
//! library or installed font is needed and the PDF looks the same everywhere.

use std::sync::{Arc, OnceLock};
use svg2pdf::usvg;

/// The fonts the charts use, for usvg: DejaVu Sans regular and bold, standing for
/// `sans-serif`.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(dejavu::sans::regular().to_vec());
            db.load_font_data(dejavu::sans::bold().to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// The PDF of an SVG chart, one page of the chart's size (at 96 pixels to the inch).
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options { fontdb: fonts(), font_family: "DejaVu Sans".to_string(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("cannot read the chart's SVG: {e}"))?;
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page).map_err(|e| format!("cannot make the PDF: {e}"))
}

#[cfg(test)]
mod tests {
    use super::svg_to_pdf;

    #[test]
    fn a_chart_with_text_becomes_a_pdf_with_the_font_embedded() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
            <rect x="10" y="10" width="50" height="30" fill="#0072B2"/>
            <text x="20" y="80" font-family="sans-serif" font-size="16">Bamako Ségou</text></svg>"##;
        let pdf = svg_to_pdf(svg).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("DejaVu"), "the font is named");
        assert!(text.contains("/FontFile2"), "and embedded");
        assert_eq!(svg_to_pdf(svg).unwrap(), pdf, "the same bytes every time");
        assert!(svg_to_pdf("<svg").is_err());
    }
}
