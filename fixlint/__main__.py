from fixlint.cli import main

main()
