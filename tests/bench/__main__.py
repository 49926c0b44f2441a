"""``make bench``: every benchmark in turn; each prints its own figures."""

from tests.bench import bench_core

if __name__ == "__main__":
    bench_core.main()
