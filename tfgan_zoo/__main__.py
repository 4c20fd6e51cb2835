from tfgan_zoo.cli import run

run()
