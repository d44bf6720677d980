//! `inflow`: the model's command line. Subcommands arrive with the propensity model.

fn main() {
    eprintln!("usage: inflow <train|score|eval> …");
    std::process::exit(2);
}
