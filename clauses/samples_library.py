"""Demo clause library: common B2B SaaS clauses with legal's ranked fallbacks (plain data, as stored)."""

from __future__ import annotations

from clauses.library import ClauseLibrary, library_from_dict


def _clause(
    clause_id: str, title: str, category: str, text: str, fallbacks: list[tuple[str, str]], approval: str = "legal"
) -> dict[str, object]:
    return {
        "id": clause_id,
        "key": clause_id,
        "title": title,
        "category": category,
        "versions": [
            {
                "number": 1,
                "status": "published",
                "text": text,
                "deviation_approval": approval,
                "fallbacks": [{"rank": i, "text": t, "when_to_use": w} for i, (t, w) in enumerate(fallbacks, 1)],
            }
        ],
    }


CLAUSES: list[dict[str, object]] = [
    _clause(
        "subscription", "Subscription and use rights", "license",
        "Subject to this Agreement and payment of the fees, {{vendor.name}} grants {{customer.name}} a non-exclusive, "
        "non-transferable right during the Subscription Term to access and use the Service for its internal business "
        "purposes, for the number of users set out in the Order.\n\n"
        "{{customer.name}} shall not resell, sublicense or provide the Service to third parties, reverse engineer "
        "the Service, or use it to build a competing product.",
        [
            ("Subject to this Agreement and payment of the fees, {{vendor.name}} grants {{customer.name}} and its "
             "Affiliates a non-exclusive, non-transferable right during the Subscription Term to access and use the "
             "Service for their internal business purposes, for the number of users set out in the Order.\n\n"
             "{{customer.name}} shall not resell, sublicense or provide the Service to third parties, reverse engineer "
             "the Service, or use it to build a competing product.",
             "The customer is a group and wants subsidiaries covered; the customer stays liable for its Affiliates."),
        ],
    ),
    _clause(
        "payment", "Fees and payment", "payment",
        "{{vendor.name}} will invoice the fees {{deal.billing}} in advance in {{deal.currency}}. Invoices are due "
        "within {{deal.payment_terms_days}} days of the invoice date. Late amounts bear interest at 1% per month or "
        "the highest rate permitted by law, if lower. Fees exclude taxes, which {{customer.name}} shall pay, except "
        "taxes on {{vendor.name}}'s income.",
        [
            ("{{vendor.name}} will invoice the fees {{deal.billing}} in advance in {{deal.currency}}. Invoices are due "
             "within {{deal.payment_terms_days}} days of the invoice date. Fees exclude taxes, which {{customer.name}} "
             "shall pay, except taxes on {{vendor.name}}'s income.",
             "The customer's procurement refuses late-payment interest; acceptable for customers with a clean payment "
             "history."),
            ("{{vendor.name}} will invoice the fees quarterly in advance in {{deal.currency}}. Invoices are due within "
             "{{deal.payment_terms_days}} days of the invoice date. Late amounts bear interest at 0.5% per month. Fees "
             "exclude taxes, which {{customer.name}} shall pay, except taxes on {{vendor.name}}'s income.",
             "Annual prepayment is refused; quarterly billing needs a deal above 50,000 in annual value."),
        ],
        approval="finance",
    ),
    _clause(
        "term_termination", "Term and termination", "term_termination",
        "This Agreement starts on {{deal.start_date}} and continues for {{deal.term_months}} months (the "
        "\"Subscription Term\"). It renews for successive periods of 12 months unless either party gives notice of "
        "non-renewal at least 60 days before the end of the current term.\n\n"
        "Either party may terminate this Agreement by notice if the other party materially breaches it and does not "
        "cure the breach within 30 days of notice. Termination does not relieve {{customer.name}} of the obligation "
        "to pay fees for the period before termination.",
        [
            ("This Agreement starts on {{deal.start_date}} and continues for {{deal.term_months}} months (the "
             "\"Subscription Term\"). It renews for successive periods of 12 months unless either party gives notice "
             "of non-renewal at least 30 days before the end of the current term.\n\n"
             "Either party may terminate this Agreement by notice if the other party materially breaches it and does "
             "not cure the breach within 30 days of notice. Termination does not relieve {{customer.name}} of the "
             "obligation to pay fees for the period before termination.",
             "The customer asks for a shorter non-renewal notice; 30 days is the shortest renewals can plan with."),
            ("This Agreement starts on {{deal.start_date}} and continues for {{deal.term_months}} months (the "
             "\"Subscription Term\") and does not renew automatically.\n\n"
             "Either party may terminate this Agreement by notice if the other party materially breaches it and does "
             "not cure the breach within 30 days of notice. Termination does not relieve {{customer.name}} of the "
             "obligation to pay fees for the period before termination.",
             "Public sector or customers whose rules forbid automatic renewal."),
        ],
    ),
    _clause(
        "confidentiality", "Confidentiality", "confidentiality",
        "Each party shall keep the other party's Confidential Information confidential, use it only to perform this "
        "Agreement, and disclose it only to its employees, contractors and advisers who need to know it and are bound "
        "by obligations at least as protective. These obligations do not apply to information that is public through "
        "no fault of the recipient, was lawfully known to it before disclosure, or is independently developed. They "
        "last for 5 years after the end of this Agreement, and for trade secrets as long as they remain trade secrets.",
        [
            ("Each party shall keep the other party's Confidential Information confidential, use it only to perform "
             "this Agreement, and disclose it only to its employees, contractors and advisers who need to know it and "
             "are bound by obligations at least as protective. These obligations do not apply to information that is "
             "public through no fault of the recipient, was lawfully known to it before disclosure, or is "
             "independently developed. They last for 7 years after the end of this Agreement, and for trade secrets "
             "as long as they remain trade secrets.",
             "The customer's policy requires a longer confidentiality period (financial services, healthcare)."),
        ],
    ),
    _clause(
        "data_protection", "Data protection", "data_protection",
        "To the extent {{vendor.name}} processes personal data on behalf of {{customer.name}}, it does so as a "
        "processor under the Data Processing Agreement in Annex 2, which forms part of this Agreement. {{vendor.name}} "
        "maintains the technical and organisational measures described there, notifies {{customer.name}} of a "
        "personal data breach without undue delay and in any case within 72 hours, and engages sub-processors only "
        "as permitted by the Data Processing Agreement.",
        [
            ("To the extent {{vendor.name}} processes personal data on behalf of {{customer.name}}, it does so as a "
             "processor under {{customer.name}}'s data processing agreement, as reviewed and agreed by both parties "
             "and attached as Annex 2. {{vendor.name}} notifies {{customer.name}} of a personal data breach without "
             "undue delay and in any case within 48 hours.",
             "Large enterprises that insist on their own DPA; legal must have reviewed that DPA."),
        ],
    ),
    _clause(
        "sla", "Service levels", "sla",
        "{{vendor.name}} will make the Service available 99.5% of the time in each calendar month, excluding planned "
        "maintenance announced at least 48 hours in advance. If availability falls below that level, "
        "{{customer.name}} is entitled to a service credit of 5% of the monthly fee for each full 0.5% below it, up "
        "to 25% of the monthly fee. Service credits are {{customer.name}}'s sole remedy for unavailability.",
        [
            ("{{vendor.name}} will make the Service available 99.9% of the time in each calendar month, excluding "
             "planned maintenance announced at least 48 hours in advance. If availability falls below that level, "
             "{{customer.name}} is entitled to a service credit of 5% of the monthly fee for each full 0.1% below it, "
             "up to 20% of the monthly fee. Service credits are {{customer.name}}'s sole remedy for unavailability.",
             "Enterprise tier only, where the customer buys premium support."),
            ("{{vendor.name}} will make the Service available 99.5% of the time in each calendar month, excluding "
             "planned maintenance announced at least 48 hours in advance. If availability falls below that level, "
             "{{customer.name}} is entitled to a service credit of 10% of the monthly fee for each full 0.5% below it, "
             "up to 30% of the monthly fee. If availability is below 95% in three consecutive months, "
             "{{customer.name}} may terminate this Agreement by notice.",
             "The customer needs an exit for chronic outages; offer only after rank 1 is refused."),
        ],
    ),
    _clause(
        "warranty", "Warranties", "warranty",
        "{{vendor.name}} warrants that the Service will perform materially as described in its documentation. If it "
        "does not, {{vendor.name}} will, at its option, correct the non-conformity or terminate the affected "
        "subscription and refund the prepaid fees for the remaining term. Except as expressly stated in this "
        "Agreement, the Service is provided \"as is\" and each party disclaims all other warranties, including "
        "merchantability and fitness for a particular purpose.",
        [
            ("{{vendor.name}} warrants that the Service will perform materially as described in its documentation and "
             "that it will not materially decrease the functionality of the Service during the Subscription Term. If "
             "it does not, {{vendor.name}} will, at its option, correct the non-conformity or terminate the affected "
             "subscription and refund the prepaid fees for the remaining term. Except as expressly stated in this "
             "Agreement, the Service is provided \"as is\" and each party disclaims all other warranties, including "
             "merchantability and fitness for a particular purpose.",
             "The customer fears losing features mid-term; safe because functionality is only ever added."),
        ],
    ),
    _clause(
        "liability", "Limitation of liability", "liability",
        "Except for liability that cannot be limited by law, neither party is liable for indirect, incidental, "
        "special or consequential damages, or for loss of profits, revenue or data. Each party's total liability "
        "arising out of this Agreement is limited to the fees paid and payable by {{customer.name}} in the 12 months "
        "before the event giving rise to the claim. These limits do not apply to {{customer.name}}'s payment "
        "obligations or to a party's indemnification obligations.",
        [
            ("Except for liability that cannot be limited by law, neither party is liable for indirect, incidental, "
             "special or consequential damages, or for loss of profits, revenue or data. Each party's total liability "
             "arising out of this Agreement is limited to twice the fees paid and payable by {{customer.name}} in the "
             "12 months before the event giving rise to the claim. These limits do not apply to {{customer.name}}'s "
             "payment obligations or to a party's indemnification obligations.",
             "Deals above 100,000 in annual value where the customer asks for a higher cap."),
            ("Except for liability that cannot be limited by law, neither party is liable for indirect, incidental, "
             "special or consequential damages, or for loss of profits or revenue. Each party's total liability "
             "arising out of this Agreement is limited to the fees paid and payable by {{customer.name}} in the 12 "
             "months before the event giving rise to the claim, except that for breach of the data protection or "
             "confidentiality obligations the limit is three times that amount.",
             "The customer's security team requires a super-cap for data breaches; never offer an uncapped liability."),
        ],
    ),
    _clause(
        "indemnity", "Indemnification", "indemnity",
        "{{vendor.name}} will defend {{customer.name}} against any third-party claim that the Service infringes that "
        "party's intellectual property rights, and pay the damages and costs finally awarded or agreed in settlement. "
        "{{customer.name}} must notify {{vendor.name}} promptly, give it sole control of the defence and reasonable "
        "assistance. This does not apply to claims arising from combinations with products not supplied by "
        "{{vendor.name}} or from use in breach of this Agreement.",
        [
            ("Each party will defend the other against any third-party claim arising from its infringement of that "
             "party's intellectual property rights or its breach of applicable law, and pay the damages and costs "
             "finally awarded or agreed in settlement. The indemnified party must notify the other promptly, give it "
             "sole control of the defence and reasonable assistance.",
             "The customer asks for a mutual indemnity; acceptable when customer data and content are in scope."),
        ],
    ),
    _clause(
        "ip", "Intellectual property", "ip",
        "{{vendor.name}} and its licensors own all rights in the Service, its documentation and any improvements to "
        "them, including those based on feedback from {{customer.name}}. {{customer.name}} owns all data it submits "
        "to the Service and grants {{vendor.name}} a limited licence to use that data only to provide and support the "
        "Service.",
        [
            ("{{vendor.name}} and its licensors own all rights in the Service, its documentation and any improvements "
             "to them. {{customer.name}} owns all data it submits to the Service and any reports it generates with "
             "the Service, and grants {{vendor.name}} a limited licence to use that data only to provide and support "
             "the Service.",
             "The customer wants ownership of generated reports; feedback rights are dropped in exchange only if "
             "asked."),
        ],
    ),
    _clause(
        "force_majeure", "Force majeure", "force_majeure",
        "Neither party is liable for a failure or delay in performance, other than payment obligations, caused by "
        "events beyond its reasonable control, such as natural disasters, war, terrorism, labour disputes of third "
        "parties, or failures of public networks. The affected party shall notify the other promptly and use "
        "reasonable efforts to resume performance. If the event lasts more than 60 days, either party may terminate "
        "the affected Order by notice.",
        [
            ("Neither party is liable for a failure or delay in performance, other than payment obligations, caused "
             "by events beyond its reasonable control, such as natural disasters, war, terrorism, labour disputes of "
             "third parties, or failures of public networks. The affected party shall notify the other promptly and "
             "use reasonable efforts to resume performance. If the event lasts more than 30 days, either party may "
             "terminate the affected Order by notice and {{customer.name}} receives a refund of prepaid fees for the "
             "remaining term.",
             "Customers with critical operations who need a faster exit and a refund."),
        ],
    ),
    _clause(
        "assignment", "Assignment", "assignment",
        "Neither party may assign this Agreement without the other party's prior written consent, not to be "
        "unreasonably withheld, except that either party may assign it without consent to a successor in a merger, "
        "acquisition or sale of all or substantially all of its assets, provided the successor is not a competitor "
        "of the other party.",
        [
            ("Neither party may assign this Agreement without the other party's prior written consent, not to be "
             "unreasonably withheld, except that either party may assign it without consent to an Affiliate or to a "
             "successor in a merger, acquisition or sale of all or substantially all of its assets.",
             "Groups that restructure often and need intra-group transfers; drop the competitor test only then."),
        ],
    ),
    _clause(
        "governing_law", "Governing law and jurisdiction", "governing_law",
        "This Agreement is governed by the laws of {{contract.governing_law}}, excluding its conflict of laws rules "
        "and the UN Convention on Contracts for the International Sale of Goods. The courts of {{contract.venue}} "
        "have exclusive jurisdiction over any dispute arising out of or in connection with this Agreement.",
        [
            ("This Agreement is governed by the laws of {{contract.governing_law}}, excluding its conflict of laws "
             "rules and the UN Convention on Contracts for the International Sale of Goods. Any dispute arising out "
             "of or in connection with this Agreement shall be finally resolved by arbitration under the ICC Rules "
             "by a sole arbitrator seated in {{contract.venue}}, in English.",
             "Cross-border deals where the customer will not accept the vendor's home courts."),
        ],
    ),
    _clause(
        "publicity", "Publicity", "publicity",
        "{{vendor.name}} may name {{customer.name}} as a customer and use its logo in customer lists on its website "
        "and in marketing materials. Any other publicity, including press releases and case studies, requires "
        "{{customer.name}}'s prior written consent.",
        [
            ("Neither party may use the other party's name or logo in publicity without its prior written consent.",
             "The customer's brand policy forbids logo use; always acceptable, it costs only marketing."),
        ],
        approval="marketing",
    ),
]  # fmt: skip


def sample_library() -> ClauseLibrary:
    """The demo library, checked like any library legal uploads."""
    return library_from_dict({"clauses": CLAUSES})
