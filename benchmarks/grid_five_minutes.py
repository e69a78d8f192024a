"""Five minutes on the grid: lesson 08's best GAN beside lesson 07's small GAN and WGAN-GP.

Each recipe of gan_course.grid.FIVE_MINUTES trains on the grid of 25 Gaussians (100,000 points)
for --seconds of wall-clock time (model.train_for), once per seed, one run after another in this
process, and is scored on 2,500 samples (metrics.mode_coverage, std 0.05: VEEGAN's protocol).
Prints a markdown table (commit it to benchmarks/RESULTS.md). With --save, the first seed's G of
each recipe goes to gan_course/trained/grid_300s/ with runs.json (seconds, steps, seed,
machine, date), which lesson 08 loads.

    python benchmarks/grid_five_minutes.py [--seconds 300] [--seeds 0 1 2] [--names ...] [--save]
"""
import argparse
import datetime
import json
import os
import platform

import gan_course  # noqa: F401  (quiet TensorFlow import)
import keras

from gan_course import data, grid, metrics


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--names", nargs="+", default=grid.FIVE_MINUTES, choices=grid.FIVE_MINUTES)
    parser.add_argument("--save", action="store_true", help="keep the first seed's G for lesson 08")
    args = parser.parse_args()
    points, centers = data.grid_of_gaussians(100_000, seed=0)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, keras {keras.__version__}"
    print(f"{datetime.date.today()}, {machine}, {args.seconds:g} s of training per run\n")
    print("| recipe | seed | G steps | seconds | modes | high quality |")
    print("|---|---:|---:|---:|---:|---:|")
    runs = {}
    for name in args.names:
        for seed in args.seeds:
            model, batch_size, chunk, decay_from = grid.recipe(name, seed)
            seconds, steps = model.train_for(points, args.seconds, batch_size, chunk, decay_from)
            coverage = metrics.mode_coverage(model.sample(2500, seed=1), centers, 0.05)
            print(f"| {name} | {seed} | {steps} | {seconds:.0f} | {coverage['modes']} | "
                  f"{coverage['high_quality']:.1%} |", flush=True)
            if args.save and seed == args.seeds[0]:
                grid.TRAINED.mkdir(parents=True, exist_ok=True)
                model.G.save_weights(grid.weights_file(name))
                runs[name] = {"seconds": round(seconds, 1), "steps": steps, "seed": seed, "machine": machine,
                              "date": str(datetime.date.today())}
    if args.save:
        path = grid.TRAINED / "runs.json"
        saved = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps({**saved, **runs}, indent=1) + "\n")


if __name__ == "__main__":
    main()
