//! `settle`: the month's fee settlement. `--scenario FILE` runs a scenario
//! document (the shared acceptance format) through the same engine the
//! database path uses and prints the result in the shape of its `expected`.

use std::path::Path;

use super::{output, Ctx};
use houqin::Result;

pub fn scenario(ctx: &Ctx, file: &Path) -> Result<()> {
    let result = houqin::refund::run_scenario_file(file)?;
    // The scenario result is JSON by definition; `--json` is accepted for symmetry.
    let _ = ctx.json;
    output::json(&result)
}
