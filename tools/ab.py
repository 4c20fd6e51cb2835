"""Two training variants of one model, measured against each other: the ratio A / B of
their images/second, round after round (each round A B B A in halves, which of them
goes first alternating), with its median and range. For the decisions that
tools/benchmark.py's five repeats leave open: whether XLA or a number of steps per
call pays for a model.

    python tools/ab.py wgan zoo_xla zoo                            # XLA against none
    python tools/ab.py wgan zoo hand --steps_per_execution=1       # fit() against the
                                                                   # hand-written loop
Variants: zoo_xla, zoo (fit() with the model's default config, with and without XLA),
hand_xla, hand (tools/hand_written.py's loop over the same networks).
"""
import argparse
import os
import sys

import benchmark


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("a", choices=benchmark.VARIANTS)
    parser.add_argument("b", choices=benchmark.VARIANTS)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--duration", type=float, default=3.0,
                        help="seconds each variant is measured, every round")
    parser.add_argument("--steps_per_execution", type=int,
                        help="instead of the config's train.steps_per_execution")
    parser.add_argument("--smoke", action="store_true",
                        help="the tiny config, 2 rounds of a few steps: the output, not a measurement")
    args = parser.parse_args(argv[1:])
    if not os.path.exists(os.path.join(benchmark.ROOT, "zoo_configs", args.model + ".py")):
        parser.error(f"no model {args.model!r}: name one with a config in zoo_configs/")
    if args.a == args.b:
        parser.error("A and B are the same variant: name two different ones")
    if args.smoke:
        args.rounds, args.warmup, args.duration = 2, 2, 0
    if args.steps_per_execution:
        default = benchmark.config_for

        def with_steps_per_execution(name, variant=None):
            config = default(name, variant)
            config.train.steps_per_execution = args.steps_per_execution
            return config
        benchmark.config_for = with_steps_per_execution  # what runners() builds from
    runs = benchmark.runners(args.model, smoke=args.smoke)
    batch = benchmark.config_for(args.model, "tiny" if args.smoke else None).train.batch_size
    least = 4 if args.smoke else 30
    steps = benchmark.steps_lasting(runs[args.b], args.warmup, least, args.duration, batch)
    ratios = []
    for round_ in range(args.rounds):
        pair = (args.a, args.b)[::1 if round_ % 2 == 0 else -1]
        rates = benchmark.abba(runs, pair, args.warmup, steps)
        ratios.append(rates[args.a] / rates[args.b])
        print(f"round {round_ + 1}/{args.rounds}: {args.a} {rates[args.a]:.0f}, "
              f"{args.b} {rates[args.b]:.0f} img/s: {ratios[-1]:.3f}", flush=True)
    print(f"{args.model} {args.a} / {args.b} over {steps} steps a variant, "
          f"{args.rounds} rounds: {benchmark.spread(ratios, 2)}")


if __name__ == "__main__":
    main(sys.argv)
