"""What every area uses: one home per shared rule (money for now)."""
