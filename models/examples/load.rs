//! Loads a model and prints a summary: `cargo run -p models --example load -- service-2.json`.
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: load SERVICE_JSON [PAGINATORS_JSON]");
        std::process::exit(2);
    };
    let paginators = args.next();
    let started = std::time::Instant::now();
    match models::load_service_files(path.as_ref(), paginators.as_deref().map(AsRef::as_ref)) {
        Ok(service) => {
            let boxed = service
                .shapes
                .iter()
                .filter_map(|shape| shape.as_structure())
                .flat_map(|structure| &structure.members)
                .filter(|member| member.needs_indirection)
                .count();
            println!(
                "{} operations, {} shapes, {} paginators, {boxed} boxed members in {:?}",
                service.operations.len(),
                service.shapes.len(),
                service.paginators.len(),
                started.elapsed()
            );
        }
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
}
