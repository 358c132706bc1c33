import CPretextKernels

extension InfoNCE {
    /// One part's share of InfoNCE on a batch of B pairs: the loss terms of anchor rows
    /// `offset ..< offset + b` against all B positives (the terms of `compute(stacked:)`
    /// for those rows), with
    /// - the sum of those rows' terms (the batch's loss is the sum over parts / B),
    /// - ∂L/∂a for those anchors (b, D), through their normalisation,
    /// - this part's contribution to ∂L/∂p̂ for every normalised positive (B, D): the
    ///   parts' contributions add up to the batch's ∂L/∂p̂.
    ///
    /// With S = â p̂ᵀ/τ restricted to the part's rows (b, B) and G = (softmax_rows(S) −
    /// I_part)/(τB): ∂L/∂â = G p̂, ∂L/∂p̂ += Gᵀ â. Each rank of a data-parallel step computes
    /// b·B similarities instead of B² (`Communicator.infoNCE`).
    public static func rows(anchors: Matrix, normalizedPositives positives: Matrix, offset: Int, temperature: Float)
        -> (lossSum: Double, anchorGradient: Matrix, positiveGradient: Matrix) {
        let part = anchors.rows, batch = positives.rows, width = anchors.columns
        precondition(positives.columns == width && offset >= 0 && offset + part <= batch, "InfoNCE.rows: part outside the batch")
        let (normalized, norms) = normalizeRows(anchors)                          // (b, D)
        let similarity = Matrix(rows: part, columns: batch) { sim in               // (b, B), â p̂ᵀ
            normalized.values.withUnsafeBufferPointer { a in
                positives.values.withUnsafeBufferPointer { p in
                    BLAS.sgemm(transposeA: false, transposeB: true, m: part, n: batch, k: width, alpha: 1,
                               a: a.baseAddress!, lda: width, b: p.baseAddress!, ldb: width, beta: 0, c: sim.baseAddress!, ldc: batch)
                }
            }
        }
        let inverseTemperature = 1 / temperature
        let scale = inverseTemperature / Float(batch)
        var rowLosses = [Double](repeating: 0, count: part)
        let g = Matrix(rows: part, columns: batch) { g in                          // (b, B)
            similarity.values.withUnsafeBufferPointer { sim in
                rowLosses.withUnsafeMutableBufferPointer { losses in
                    Lanes.forEachBlock(of: part, work: 4 * part * batch) { rows in
                        for row in rows {
                            let base = row * batch, positive = offset + row
                            let diagonal = sim[base + positive] * inverseTemperature
                            let logPartition = pretext_softmax_row(sim.baseAddress! + base, g.baseAddress! + base, batch, inverseTemperature)
                            losses[row] = logPartition - Double(diagonal)
                            g[base + positive] -= 1
                            pretext_scale(g.baseAddress! + base, batch, scale)
                        }
                    }
                }
            }
        }
        let anchorHat = Matrix(rows: part, columns: width) { out in                // (b, D) = G p̂
            g.values.withUnsafeBufferPointer { g in
                positives.values.withUnsafeBufferPointer { p in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: part, n: width, k: batch, alpha: 1,
                               a: g.baseAddress!, lda: batch, b: p.baseAddress!, ldb: width, beta: 0, c: out.baseAddress!, ldc: width)
                }
            }
        }
        let positiveHat = Matrix(rows: batch, columns: width) { out in             // (B, D) = Gᵀ â
            g.values.withUnsafeBufferPointer { g in
                normalized.values.withUnsafeBufferPointer { a in
                    BLAS.sgemm(transposeA: true, transposeB: false, m: batch, n: width, k: part, alpha: 1,
                               a: g.baseAddress!, lda: batch, b: a.baseAddress!, ldb: width, beta: 0, c: out.baseAddress!, ldc: width)
                }
            }
        }
        return (rowLosses.reduce(0, +), backThroughNormalization(anchorHat, normalized: normalized, norms: norms), positiveHat)
    }
}

extension Communicator {
    /// InfoNCE on a batch of `total` pairs that the ranks hold in parts: `local` is this
    /// rank's (2b, D) stacked projections (its anchors, then its positives, rows
    /// `localRange(of: total)`). Every rank gathers the normalised positives (B, D), scores
    /// its own anchors against them (`InfoNCE.rows`), and the positives' gradient
    /// contributions are summed over the ranks — b·B similarities per rank instead of B².
    /// Returns the batch's loss (the same on every rank) and the gradient of this rank's
    /// rows (2b, D); on one rank, `InfoNCE.compute(stacked:)`.
    public func infoNCE(_ local: Matrix, total: Int, temperature: Float) -> LossResult {
        guard size > 1 else { return InfoNCE.compute(stacked: local, temperature: temperature) }
        let part = localRange(of: total), width = local.columns, b = part.count
        let anchors = Matrix(rows: b, columns: width, values: Array(local.values[0..<(b * width)]))
        let positives = Matrix(rows: b, columns: width, values: Array(local.values[(b * width)...]))
        let (normalized, norms) = InfoNCE.normalizeRows(positives)
        let allPositives = allgatherRows(normalized, totalRows: total)
        var (lossSum, anchorGradient, positiveHat) = b > 0
            ? InfoNCE.rows(anchors: anchors, normalizedPositives: allPositives, offset: part.lowerBound, temperature: temperature)
            : (0, Matrix(rows: 0, columns: width), Matrix(rows: total, columns: width))
        allreduceSum(&positiveHat.values)
        let ownPositives = Matrix(rows: b, columns: width,
                                  values: Array(positiveHat.values[(part.lowerBound * width)..<(part.upperBound * width)]))
        let positiveGradient = InfoNCE.backThroughNormalization(ownPositives, normalized: normalized, norms: norms)
        return LossResult(value: allreduceSum(lossSum) / Double(total),
                          gradient: Matrix(rows: 2 * b, columns: width, values: anchorGradient.values + positiveGradient.values))
    }
}
