"""pandas read_csv on a gzipped CSV without a header: prints the median seconds of N reads as JSON."""
import json, statistics, sys, time
import pandas as pd

path, repeat = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(repeat):
    t = time.perf_counter()
    df = pd.read_csv(path, header=None, low_memory=False)
    times.append(time.perf_counter() - t)
print(json.dumps({"seconds": statistics.median(times), "rows": len(df)}))
