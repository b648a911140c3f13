package load

// schedule is one cycle of a smooth weighted round-robin over weights (nginx's algorithm):
// each step every kind gains its weight, the kind with the most (the first on a tie) is chosen
// and gives back the sum of the weights. Over a cycle as long as that sum each kind is chosen
// exactly its weight's times, and the choices are spread out: weights 5, 1, 1 give
// 0 0 1 0 2 0 0, not 0 0 0 0 0 1 2. Request i is of kind schedule[i % len(schedule)], so which
// kind a request is depends only on its number, never on timing or on which worker sends it.
func schedule(weights []int) []int {
	total := 0
	for _, w := range weights {
		total += w
	}
	current := make([]int, len(weights))
	cycle := make([]int, total)
	for step := range cycle {
		best := 0
		for k, w := range weights {
			current[k] += w
			if current[k] > current[best] {
				best = k
			}
		}
		current[best] -= total
		cycle[step] = best
	}
	return cycle
}

// weights are the mix's weights, in order.
func weights(mix []Kind) []int {
	w := make([]int, len(mix))
	for i, k := range mix {
		w[i] = k.Weight
	}
	return w
}
