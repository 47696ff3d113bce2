from ai4radiology.cli import run

run()
