"""pandas read_csv on a gzipped CSV without a header; only the read call is timed.
Prints the seconds of N reads as JSON. Usage: python3 bench/peers-load.py FILE N"""
import json, sys, time
import pandas as pd

path, repeat = sys.argv[1], int(sys.argv[2])
seconds = []
rows = 0
for _ in range(repeat):
    t = time.perf_counter()
    df = pd.read_csv(path, header=None, low_memory=False)
    seconds.append(time.perf_counter() - t)
    rows = len(df)
print(json.dumps({"seconds": seconds, "rows": rows}))
