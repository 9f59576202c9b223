from fixlint.cli import run

run()
