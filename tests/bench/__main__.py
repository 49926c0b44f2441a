"""``make bench``: every benchmark in turn; each prints its own figures."""

from tests.bench import bench_api, bench_core, bench_graph, bench_start

if __name__ == "__main__":
    bench_core.main()
    bench_api.main()
    bench_graph.main()
    bench_start.main()
