import Foundation
import SluiceCore
import Testing

@Suite("output policy: the data owner's release")
struct ReviewPolicyTests {
    func refusal(_ json: String) -> String? {
        do {
            _ = try JSONDecoder().decode(OutputPolicy.self, from: Data(json.utf8))
            return nil
        } catch let error as DecodingError {
            return DecodingProblem.sentence(error)
        } catch {
            return "\(error)"
        }
    }

    @Test func theReviewKeyIsReadStrictly() throws {
        let p = try JSONDecoder().decode(OutputPolicy.self, from: Data(#"{"review": {"required": true, "deadlineSeconds": 3600}}"#.utf8))
        #expect(p.review == ReviewPolicy(required: true, deadlineSeconds: 3600))
        let unknown = refusal(#"{"review": {"required": true, "deadline": 5}}"#)
        #expect(unknown?.contains("unknown key \"deadline\" in review") == true, "\(unknown ?? "")")
        #expect(refusal(#"{"review": {"deadlineSeconds": 0}}"#)?.contains("review.deadlineSeconds") == true)
        #expect(refusal(#"{"review": {"deadlineSeconds": 31536001}}"#)?.contains("deadlineSeconds") == true)
        #expect(refusal(#"{"review": {"required": "yes"}}"#)?.contains("review.required") == true)
        #expect(refusal(#"{"review": true}"#)?.contains("review") == true)
    }

    @Test func reviewIsOffByDefaultAndTheOwnerTurnsItOn() {
        let base = EffectiveOutputPolicy.builtIn
        #expect(base.reviewDeadlineSeconds == nil)
        #expect(base.overridden(by: OutputPolicy(review: ReviewPolicy(required: true))).reviewDeadlineSeconds == ReviewPolicy.defaultDeadlineSeconds)
        let on = base.overridden(by: OutputPolicy(review: ReviewPolicy(required: true, deadlineSeconds: 60)))
        #expect(on.reviewDeadlineSeconds == 60)
        #expect(base.overridden(by: OutputPolicy(review: ReviewPolicy(deadlineSeconds: 60))).reviewDeadlineSeconds == nil,
                "a deadline alone does not require a review")
        #expect(on.overridden(by: OutputPolicy(review: ReviewPolicy(deadlineSeconds: 120))).reviewDeadlineSeconds == 120)
        #expect(on.overridden(by: OutputPolicy(review: ReviewPolicy(required: false))).reviewDeadlineSeconds == nil)
    }

    @Test func anyDatasetRequiringAReviewRequiresIt() {
        let off = EffectiveOutputPolicy.builtIn
        let long = off.overridden(by: OutputPolicy(review: ReviewPolicy(required: true, deadlineSeconds: 600)))
        let short = off.overridden(by: OutputPolicy(review: ReviewPolicy(required: true, deadlineSeconds: 60)))
        #expect(EffectiveOutputPolicy.strictest([off, long]).reviewDeadlineSeconds == 600)
        #expect(EffectiveOutputPolicy.strictest([long, short, off]).reviewDeadlineSeconds == 60, "the shortest deadline")
        #expect(EffectiveOutputPolicy.strictest([off, off]).reviewDeadlineSeconds == nil)
    }

    @Test func decisionsMoveTheReviewAndSayWhyOutputsAreWithheld() {
        let alice = "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", carol = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
        var review = OwnerReview(reviewers: [alice, carol], deadline: 100)
        #expect(review.isReviewer(EthereumAddress(alice.lowercased())!))
        #expect(!review.isReviewer(EthereumAddress("0x" + String(repeating: "0", count: 40))!))
        review.record(ReviewDecision(reviewer: alice, verdict: .approve, reason: nil, at: 1))
        #expect(review.state == .pending, "every owner must approve")
        #expect(review.hasDecided(EthereumAddress(alice)!))
        #expect(review.withholdingReason == nil)
        var rejected = review
        rejected.record(ReviewDecision(reviewer: carol, verdict: .reject, reason: "row-level data", at: 2))
        #expect(rejected.state == .rejected)
        #expect(rejected.withholdingReason == "withheld: the dataset's owner \(carol) rejected the results: row-level data")
        review.record(ReviewDecision(reviewer: carol, verdict: .approve, reason: nil, at: 2))
        #expect(review.state == .approved)
        var expired = OwnerReview(reviewers: [alice], deadline: 100)
        expired.state = .expired
        #expect(expired.withholdingReason?.contains("deadline") == true)
    }
}
