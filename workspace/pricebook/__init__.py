"""The stored, versioned price book and incentive plan, their admin API, and product facts."""
