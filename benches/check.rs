//! Library throughput: parse + check of one complete report, and of a 1 MB
//! text made of reports (to see that time stays linear in size).
//! `cargo bench --bench check`; end-to-end figures: `scripts/bench.sh`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::schema;
use gongwen::settings::Settings;
use gongwen::source::Source;

const REPORT: &str = include_str!("../tests/fixtures/corpus/seeds/000_d01c1fc9dfe130cb.txt");

fn bench(c: &mut Criterion) {
    let schema = schema::resolve(schema::DEFAULT).expect("built-in schema");
    let settings = Settings::default();
    let mut group = c.benchmark_group("check");

    group.throughput(Throughput::Bytes(REPORT.len() as u64));
    group.bench_function("one report", |b| {
        b.iter(|| {
            let src = Source::from_text("r.txt", black_box(REPORT));
            black_box(gongwen::check(&src, &schema, &settings).diagnostics.len())
        })
    });

    let big = REPORT.repeat(1_000_000 / REPORT.len() + 1);
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(10);
    group.bench_function("1 MB", |b| {
        b.iter(|| {
            let src = Source::from_text("big.txt", black_box(big.as_str()));
            black_box(gongwen::check(&src, &schema, &settings).diagnostics.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
