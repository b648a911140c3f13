package cpubench
