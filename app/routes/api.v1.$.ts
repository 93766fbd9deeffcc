import { ApiProblem, problemResponse } from '../api/http.server';

// Any other path under /api/v1 answers as the API does, in problem+json.
const notFound = () => problemResponse(new ApiProblem('notFound', 'No such API resource. The reference is at /api/v1/reference.'));

export const loader = notFound;
export const action = notFound;
