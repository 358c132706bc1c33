extension Communicator {
    /// One training step of a loss that is a (weighted) mean over a batch's rows, on this
    /// rank's part `localRange(of: B)` of `batch`.
    ///
    /// `forward` computes the loss of the rows it is given and returns how to backpropagate
    /// a gradient of that loss. The local loss and gradient are weighted by the rows'
    /// `share` of the batch (b/B for a plain mean; their share of the class weights or of
    /// the observed targets for a weighted one), so the parts add up to the batch's loss
    /// and gradient; the losses are summed over the ranks, so every rank returns the whole
    /// batch's (a rank without rows adds zero). The gradients are summed by `Trainer`.
    /// On one rank this is `forward(batch)` and its backward, unweighted.
    public func step(_ batch: [Int], share: ([Int], [Int]) -> Float,
                     forward: ([Int]) -> (LossResult, (Matrix) -> Void)) -> Double {
        guard size > 1 else {
            let (result, backward) = forward(batch)
            backward(result.gradient)
            return result.value
        }
        let rows = Array(batch[localRange(of: batch.count)])
        var value = 0.0
        if !rows.isEmpty {
            var (result, backward) = forward(rows)
            let weight = share(rows, batch)
            for index in result.gradient.values.indices { result.gradient.values[index] *= weight }
            backward(result.gradient)
            value = result.value * Double(weight)
        }
        return allreduceSum(value)
    }
}
