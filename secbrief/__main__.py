from secbrief.cli import main

raise SystemExit(main())
