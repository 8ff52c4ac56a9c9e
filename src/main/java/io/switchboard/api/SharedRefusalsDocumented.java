package io.switchboard.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the refusals that routes ahead of the REST resources give every endpoint they cover, the
 * way those routes apply them (by path and method), so that no endpoint, present or added later, is
 * left without them: {@code 503} at capacity on every {@code /api} operation and negotiate
 * ({@code limits/CapacityFilter}), {@code 413} and {@code 415} on every {@code /api} operation that takes
 * a JSON body ({@code limits/RestBodyLimit}, Quarkus REST's media-type check), {@code 400} on every
 * operation with a path parameter ({@link PathTextChecked}). Run at build time.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class SharedRefusalsDocumented implements OASFilter {

    private static final String NEGOTIATE = "/hubs/{hub}/negotiate";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            boolean rest = path.startsWith("/api/");
            if (rest || path.equals(NEGOTIATE)) {
                for (Map.Entry<PathItem.HttpMethod, Operation> operation : item.getOperations().entrySet()) {
                    document(operation.getValue(), rest && takesJson(operation.getValue()), path.contains("{"));
                }
            }
        });
    }

    private static void document(Operation operation, boolean takesJson, boolean takesPathParameters) {
        APIResponses responses = operation.getResponses();
        add(responses, "503", OpenApi.SERVICE_UNAVAILABLE);
        if (takesPathParameters) {
            add(responses, "400", OpenApi.BAD_REQUEST);
        }
        if (takesJson) {
            add(responses, "413", OpenApi.PAYLOAD_TOO_LARGE);
            add(responses, "415", OpenApi.UNSUPPORTED_MEDIA_TYPE);
        }
    }

    private static boolean takesJson(Operation operation) {
        return operation.getRequestBody() != null && operation.getRequestBody().getContent() != null
                && operation.getRequestBody().getContent().hasMediaType("application/json");
    }

    private static void add(APIResponses responses, String status, String sharedResponse) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(sharedResponse));
        }
    }
}
