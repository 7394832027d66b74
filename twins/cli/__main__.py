from twins.cli import main

main()
