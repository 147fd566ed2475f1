"""The balance and functional exercises (#17): 30-second chair stand and sit-to-stand, heel drops, single-leg
stand and the 4-stage balance test. Each is an analyzer behind the `coach.exercises.base.Analyzer` protocol;
holds are timed by `coach.holds`."""
