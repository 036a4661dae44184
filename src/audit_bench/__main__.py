from audit_bench.cli import main

main()
