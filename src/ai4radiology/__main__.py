from ai4radiology.cli import main

main()
